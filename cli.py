"""Start the consult command line from a checkout: ``python cli.py --help``."""
from consult.cli import main

if __name__ == "__main__":
    main()
