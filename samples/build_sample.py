"""Build samples/sen-policy-draft.docx: a draft SEN policy with numbered headings and lists."""
from __future__ import annotations

import io
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator, NamedTuple, Union

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

OUTPUT = Path(__file__).resolve().parent / "sen-policy-draft.docx"
SCHOOL = "Larkspur Hill Primary School"
TITLE = "Special Educational Needs and Disabilities (SEND) Policy"
FRONT_MATTER = (f"{SCHOOL}. Version 0.1, 1 September 2026. Draft 1 — for consultation. "
                "Policy owner: the SENCO. For approval by the full governing board.")
HEADER_TEXT = "Draft SEN policy — for consultation"
AUTHOR = "consult sample"
TIMESTAMP = datetime(2026, 9, 1, 9, 0, 0)    # core properties, read as UTC
ZIP_TIME = (2026, 9, 1, 9, 0, 0)             # every zip entry
A4 = (Twips(11906), Twips(16838))
MARGIN = Twips(1440)


# -- the text, as data ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Numbered:
    """Body paragraphs numbered at the third level of the heading list (3.1.1, 3.1.2...)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Bullets:
    """A bulleted list in the List Bullet style."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Lettered:
    """A list labelled (a), (b), (c)...; each one starts again at (a)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table whose first row is a repeating header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]           # twips


class PageBreak:
    """A paragraph holding only an explicit page break."""


Block = Union[str, Numbered, Bullets, Lettered, Table, PageBreak]
PAGE_BREAK = PageBreak()

# A body paragraph may hold "[^key]": a footnote reference to FOOTNOTES[key].
FOOTNOTES = {
    "cop": "Department for Education and Department of Health, Special educational needs and "
           "disability code of practice: 0 to 25 years (January 2015). References in this "
           "policy to the Code of Practice are to this document and to any later revision of it.",
}

ROLES = Table(
    header=("Role", "Main responsibilities", "Contact"),
    rows=(
        ("SENCO (Mrs Joanna Pryce)",
         "Co-ordinates provision; keeps the SEN register; advises staff; first contact for "
         "parents and outside agencies",
         "senco@larkspurhill.example"),
        ("Headteacher (Mr David Osei)",
         "Overall responsibility for SEND; line-manages the SENCO; agrees the SEN budget with "
         "governors",
         "head@larkspurhill.example"),
        ("SEN governor (Mrs Helen Carter)",
         "Monitors provision on behalf of the governing board; meets the SENCO each term",
         "Through the clerk to governors: clerk@larkspurhill.example"),
        ("Class teachers",
         "Plan, teach and review support for the pupils in their class; first contact for "
         "day-to-day concerns",
         "The class email address, or at the classroom door"),
        ("Teaching assistants",
         "Deliver planned interventions; encourage independence; record observations for "
         "reviews",
         "Through the class teacher"),
        ("Designated teacher for looked-after children (Mr Tom Reilly)",
         "Makes sure that personal education plans and SEN support work together",
         "Through the school office"),
        ("Designated safeguarding lead (Mr David Osei)",
         "Responds to safeguarding concerns, including those about pupils with SEND, who may "
         "be more vulnerable",
         "dsl@larkspurhill.example"),
    ),
    widths=(2300, 3926, 2800),
)

SECTIONS: list[tuple[int, str, list[Block]]] = [
    (1, "Introduction and aims", []),
    (2, "Purpose of this policy", [
        "This policy sets out how Larkspur Hill Primary School identifies, supports and reviews "
        "the progress of pupils with special educational needs and disabilities (SEND). It "
        "describes what families can expect from us, what we expect of our staff, and how "
        "decisions about provision are made and checked. It applies to every pupil on roll, from "
        "the Nursery class to Year 6, and to every adult who works with them.",
        "The policy should be read alongside our SEN information report, which is published on "
        "the school website and updated each year, and alongside our policies on behaviour, "
        "safeguarding, supporting pupils with medical conditions, equality and accessibility. "
        "Where this policy and another policy appear to disagree, the SENCO will say which "
        "applies and will correct the documents at the next review.",
        "This is a draft for consultation. Staff, governors and parents are invited to comment "
        "on any part of it. Numbered paragraphs are used so that comments can refer to a precise "
        "place in the text, and the section numbers will stay the same until the final version "
        "is approved.",
    ]),
    (2, "Our aims", [
        "We believe that every child at Larkspur Hill is entitled to a broad and balanced "
        "curriculum, taught well, in a school where they feel they belong. Most children's needs "
        "are met by good teaching that is adapted to the class in front of the teacher. Some "
        "children need something additional to or different from that, for a short time or "
        "throughout their time with us. Our aims are:",
        Bullets((
            "to identify needs as early as possible and to act on what we find, rather than "
            "waiting for a child to fall further behind;",
            "to give every pupil with SEND the same opportunities as their classmates to take "
            "part in lessons, clubs, trips and the wider life of the school;",
            "to work in partnership with parents and carers, listening to what they know about "
            "their child and telling them plainly what we are doing and why;",
            "to involve pupils in decisions about their own support, in ways suited to their age "
            "and understanding;",
            "to help pupils become as independent as they can be, and to prepare them well for "
            "the next stage of their education;",
            "to make good use of the expertise of outside agencies, and to spend the resources "
            "available to us where they make the most difference.",
        )),
        "These aims are reviewed by governors each year when they receive the SENCO's annual "
        "report. Progress against them is described in the SEN information report.",
    ]),
    (2, "Legislation and guidance", [
        "This policy is written to meet the requirements of Part 3 of the Children and Families "
        "Act 2014 and the Special Educational Needs and Disability Regulations 2014, and it "
        "follows the statutory guidance in the SEND Code of Practice.[^cop] It also reflects "
        "our duties under the Equality Act 2010 towards disabled pupils, including the duty to "
        "make reasonable adjustments and the duty to plan to improve access over time.",
        "Other guidance that shapes this policy includes the Department for Education's "
        "statutory guidance on supporting pupils at school with medical conditions, Keeping "
        "children safe in education, and the Teachers' Standards, which expect every teacher to "
        "adapt teaching to respond to the strengths and needs of all pupils. The school also "
        "takes account of guidance published by Westmoor Council as the local authority.",
        "Where the law or statutory guidance changes before this policy is next reviewed, the "
        "law and guidance take precedence. The SENCO will brief staff on any change that "
        "affects day-to-day practice.",
    ]),
    (1, "Definitions", [
        "The words below have particular meanings in this policy. They follow the definitions "
        "used in the Code of Practice, with some explanation of how we apply them in school.",
    ]),
    (2, "Special educational needs", [
        "A pupil has special educational needs if they have a learning difficulty or disability "
        "which calls for special educational provision to be made for them. A learning "
        "difficulty or disability means a significantly greater difficulty in learning than the "
        "majority of others of the same age, or a disability which prevents or hinders the "
        "pupil from making use of the facilities generally provided for others of the same age "
        "in mainstream schools.",
        "Special educational provision is educational or training provision that is additional "
        "to, or different from, that made generally for other children of the same age. In "
        "practice, this means support that goes beyond the adapted, high-quality teaching that "
        "every pupil in the class receives.",
        "Slow progress and low attainment do not in themselves mean that a child has SEN, and "
        "they should not automatically lead to a pupil being recorded as having SEN. Equally, a "
        "pupil who attains well may still have a special educational need: a pupil with a "
        "hearing impairment, for example, or an autistic pupil who finds the social demands of "
        "school very hard. Children whose first language is not English are not regarded as "
        "having SEN solely because of the language in which they are taught.",
    ]),
    (2, "Disability", [
        "Many children who have SEN also have a disability under the Equality Act 2010, that "
        "is, a physical or mental impairment which has a long-term and substantial adverse "
        "effect on their ability to carry out normal day-to-day activities. Long-term means "
        "lasting, or likely to last, a year or more, and substantial means more than minor or "
        "trivial. The definition includes sensory impairments and long-term health conditions "
        "such as asthma, diabetes and epilepsy.",
        "A child may be disabled without having SEN, and the reverse is also true. Where a "
        "disabled pupil also needs special educational provision, that provision is made under "
        "this policy. The school's duties under the Equality Act apply to all disabled pupils, "
        "whether or not they have SEN.",
    ]),
    (2, "The four broad areas of need", [
        "The Code of Practice describes four broad areas of need. We use them to plan and to "
        "organise our support, not to put children into boxes: many pupils have needs in more "
        "than one area, and what matters is the help that an individual child needs.",
        Bullets((
            "Communication and interaction, including speech, language and communication needs "
            "and the social communication differences often experienced by autistic children.",
            "Cognition and learning, including moderate and severe learning difficulties and "
            "specific learning difficulties such as dyslexia, dyscalculia and dyspraxia.",
            "Social, emotional and mental health difficulties, which may show as withdrawal, "
            "anxiety, challenging behaviour or difficulty in forming relationships, and which "
            "may reflect conditions such as attention deficit hyperactivity disorder.",
            "Sensory and/or physical needs, including visual impairment, hearing impairment, "
            "multi-sensory impairment and physical disabilities that call for specialist "
            "equipment or adaptations.",
        )),
        "Behaviour is not in itself an area of need. When a child's behaviour gives cause for "
        "concern, staff look for the underlying cause, which may be an unmet learning need, a "
        "communication difficulty, a mental health need or something happening outside school.",
    ]),
    (1, "Roles and responsibilities", [
        "Meeting the needs of pupils with SEND is the responsibility of everyone who works in "
        "the school. This section sets out the particular duties of the people most closely "
        "involved; the table in 3.5 summarises them and says how to contact each person.",
    ]),
    (2, "The SENCO", [
        "The special educational needs co-ordinator (SENCO) is Mrs Joanna Pryce, a qualified "
        "teacher and a member of the senior leadership team, who holds the National Award for "
        "SEN Co-ordination. The SENCO has protected time each week for the role; this time is "
        "agreed each year with the headteacher and reported to governors. The SENCO will:",
        Numbered((
            "oversee the day-to-day operation of this policy and co-ordinate the provision made "
            "for individual pupils with SEN, including those with EHC plans;",
            "advise and support class teachers on the graduated approach, on adapting teaching, "
            "and on the use of the assessment tools available in school;",
            "keep the school's record of pupils with SEN accurate and up to date, and make sure "
            "that the information needed to support each pupil reaches the staff who need it;",
            "act as the main point of contact for parents and for outside agencies, including "
            "educational psychologists, speech and language therapists and the local "
            "authority's SEN team;",
            "advise the headteacher and governors on the deployment of the school's budget and "
            "other resources for SEN, and on the training needs of staff;",
            "work with the headteacher and governors to make sure that the school meets its "
            "duties under the Equality Act 2010 and keeps its accessibility plan under review.",
        )),
        "When the SENCO is absent for an extended period, the headteacher will name a member of "
        "the senior leadership team to cover the urgent parts of the role, and will tell the "
        "parents of pupils with EHC plans whom to contact.",
    ]),
    (2, "The governing board and the SEN governor", [
        "The governing board must use its best endeavours to make sure that the necessary "
        "provision is made for every pupil with SEN. Governors do not take decisions about "
        "individual children, but they are expected to understand the school's approach, to ask "
        "searching questions about its effectiveness, and to make sure that the SENCO has the "
        "time and resources the role requires.",
        "The board appoints one governor, currently Mrs Helen Carter, to take a particular "
        "interest in SEND. The SEN governor meets the SENCO at least once a term, visits the "
        "school to see provision in action, and reports to the full board. The board as a whole "
        "approves this policy, publishes the SEN information report each year and monitors the "
        "accessibility plan.",
    ]),
    (2, "The headteacher", [
        "The headteacher, Mr David Osei, has overall responsibility for provision for pupils "
        "with SEND and for making sure that this policy is carried out. He line-manages the "
        "SENCO, agrees the SEN budget with governors, and makes sure that the needs of pupils "
        "with SEND are considered in whole-school decisions, including the school improvement "
        "plan, the deployment of staff, the curriculum and the timetable.",
        "The headteacher also makes sure that the school's arrangements for admissions, "
        "suspensions and attendance do not discriminate against pupils with SEND, and that "
        "concerns raised by parents are dealt with promptly and fairly.",
    ]),
    (2, "Class teachers and support staff", [
        "Class teachers are responsible and accountable for the progress and development of all "
        "the pupils in their class, including those who receive support from teaching "
        "assistants or specialist staff. High-quality teaching, adapted for individual pupils, "
        "is the first step in responding to pupils who have or may have SEN. Additional "
        "intervention cannot make up for weak teaching.",
        "Each class teacher plans and reviews support for the pupils with SEN in their class, "
        "working with the SENCO and with parents. They keep the SENCO informed about pupils' "
        "progress and about any new concerns, and they make sure that teaching assistants know "
        "the purpose of each intervention they deliver and how its success will be judged.",
        "Teaching assistants work under the direction of the class teacher. They deliver planned "
        "interventions, help pupils to work independently, and contribute to reviews by "
        "recording what they observe. A teaching assistant is not assigned to a single pupil "
        "for the whole day unless an EHC plan says so, because constant adult support can make "
        "pupils less independent and set them apart from their classmates.",
    ]),
    (2, "Summary of roles", [
        "The table below summarises the main responsibilities for SEND in the school. Parents "
        "may contact any of the people listed through the school office, or directly by email.",
        ROLES,
        "Names and contact details are correct at the date of this draft and will be checked "
        "again before the policy is published.",
        PAGE_BREAK,
    ]),
    (1, "Identifying needs: the graduated approach", [
        "When a pupil is identified as having SEN, the school acts to remove barriers to "
        "learning and to put effective special educational provision in place. This SEN support "
        "takes the form of a four-part cycle, known as the graduated approach: assess, plan, do, "
        "review. Each turn of the cycle adds to our understanding of the pupil's needs and of "
        "what helps them to make good progress.",
    ]),
    (2, "Early identification", [
        "We assess every pupil's skills and attainment when they join the school, building on "
        "information from their previous setting and from their parents. Teachers then check "
        "pupils' progress through the year as part of normal classroom practice, and the "
        "progress of every pupil is reviewed each term at pupil progress meetings attended by "
        "the SENCO.",
        "A concern may be raised by a class teacher, by a parent, by the pupil or by another "
        "professional. Staff look out for progress that is significantly slower than that of "
        "peers starting from the same point, progress that fails to match the pupil's previous "
        "rate, a widening gap in attainment, or difficulties that persist despite well-targeted "
        "teaching. Changes in behaviour, wellbeing or attendance may also point to a need that "
        "has not yet been identified.",
        "When a concern is raised, the class teacher first makes sure that teaching in class has "
        "been adapted to the pupil's needs, and gathers evidence of how the pupil responds. The "
        "teacher then discusses the concern with the SENCO and with the pupil's parents before "
        "any decision is taken about SEN support.",
    ]),
    (2, "Assess", [
        "The class teacher and the SENCO carry out a clear analysis of the pupil's needs. This "
        "draws on the teacher's assessment and experience of the pupil, the pupil's previous "
        "progress and attainment, their behaviour, the views and experience of their parents, "
        "the pupil's own views and, where relevant, advice from outside services. The school may "
        "use standardised tests, observations and diagnostic tools, each chosen to answer a "
        "particular question about the pupil rather than used as a routine.",
        "Where a pupil continues to make less than expected progress, the school may, with the "
        "agreement of parents, ask for advice from specialists such as the educational "
        "psychology service, the speech and language therapy service or the specialist teaching "
        "service. The assessment is revisited regularly so that support keeps pace with the "
        "pupil's changing needs.",
    ]),
    (2, "Plan", [
        "When the school and the parents agree that a pupil needs SEN support, the pupil is "
        "added to the school's SEN register and the parents are formally told. The teacher and "
        "the SENCO, with the pupil and their parents, agree the adjustments, interventions and "
        "support to be put in place, the outcomes they are expected to achieve, and a clear "
        "date for review.",
        "These arrangements are written down in a short support plan, which every member of "
        "staff working with the pupil can see. The plan is written in plain language, avoids "
        "jargon, and sets outcomes that are specific enough for everyone to tell whether they "
        "have been met. Parents receive a copy and are told how they can help at home.",
    ]),
    (2, "Do", [
        "The class teacher remains responsible for working with the pupil every day. Where an "
        "intervention involves group or one-to-one teaching away from the main class, the "
        "teacher keeps responsibility for the pupil, works closely with the teaching assistant "
        "or specialist staff involved, and plans how the skills taught in the intervention will "
        "be used back in class.",
        "The SENCO supports the class teacher in further assessment of the pupil's particular "
        "strengths and weaknesses, in solving problems as they arise, and in making effective "
        "use of support. Interventions are chosen because there is good evidence that they "
        "work, and they are delivered as they were designed, for as long as was intended.",
    ]),
    (2, "Review", [
        "The effectiveness of the support and its impact on the pupil's progress are reviewed on "
        "the date agreed in the plan, and at least three times a year. Each review follows the "
        "steps below.",
        Numbered((
            "The class teacher gathers evidence of progress towards each outcome, including "
            "samples of work, assessment results and observations from teaching assistants.",
            "The teacher, the SENCO, the parents and, wherever possible, the pupil meet to "
            "discuss what has worked, what has not, and why. Parents may ask for the meeting to "
            "take place by telephone or video call.",
            "Together they decide whether to continue, change or end the support, agree new "
            "outcomes where needed, and set the next review date. The revised plan is shared "
            "with parents within ten school days of the meeting.",
        )),
        "Where a pupil has made good progress, the review may conclude that SEN support is no "
        "longer needed (see 4.6). Where a pupil has not made the expected progress despite "
        "support matched to their needs over several cycles, the school will consider with the "
        "parents whether to request an education, health and care needs assessment.",
    ]),
    (2, "Moving off the SEN register", [
        "A pupil is removed from the SEN register when a review shows that they are making "
        "progress in line with their peers and no longer need provision that is additional to, "
        "or different from, that which the class receives. This decision is made with the "
        "parents, and the pupil's progress continues to be monitored closely for at least two "
        "terms afterwards.",
        "Removing a pupil from the register does not mean that their needs are forgotten. "
        "Adjustments that help the pupil, such as where they sit, a visual timetable or extra "
        "time to process instructions, will often continue as part of ordinary good teaching. "
        "If concerns return, the graduated approach begins again.",
    ]),
    (1, "Education, health and care plans", []),
    (2, "Requesting an EHC needs assessment", [
        "Most pupils with SEN have their needs met through SEN support. Where a pupil has not "
        "made expected progress even though the school has taken relevant and purposeful action "
        "to identify, assess and meet their needs, the school or the parents may ask Westmoor "
        "Council to carry out an education, health and care (EHC) needs assessment.",
        "Before the school makes a request, the SENCO discusses it with the parents and makes "
        "sure that it is supported by evidence, which will usually include:",
        Lettered((
            "the pupil's support plans and review records over at least two cycles of the "
            "graduated approach, showing what was tried and how the pupil responded;",
            "the pupil's current attainment and rate of progress, compared with the attainment "
            "of other pupils of the same age;",
            "reports and advice from outside specialists who have worked with the pupil, such "
            "as an educational psychologist or a speech and language therapist;",
            "the views and aspirations of the pupil and their parents, and any relevant "
            "information about the pupil's health or social care needs.",
        )),
        "The local authority must decide within six weeks whether to carry out an assessment, "
        "and the whole process, from the request to the issue of a final plan, should take no "
        "more than twenty weeks. The school provides the information the local authority asks "
        "for promptly, and continues to provide SEN support while the assessment takes place.",
        "Parents may also request an assessment themselves. The SENCO will help parents who "
        "wish to do so and will explain what information the local authority is likely to need.",
    ]),
    (2, "Annual reviews", [
        "An EHC plan is reviewed at least every twelve months. The school organises and hosts "
        "the annual review meeting on behalf of the local authority, and the SENCO makes sure "
        "that everyone involved is invited and that the meeting concentrates on the pupil's "
        "progress towards the outcomes in the plan.",
        Numbered((
            "At least two weeks before the meeting, the school asks for advice from the parents, "
            "the pupil, the local authority and the health and social care professionals "
            "involved, and sends it to everyone invited.",
            "The meeting considers the pupil's progress towards each outcome, whether the "
            "outcomes are still right, and whether any change is needed to the provision or to "
            "the plan itself.",
            "Within two weeks of the meeting, the school sends a report of the review to the "
            "local authority and to everyone invited, setting out any amendments it recommends.",
            "For a pupil who will move to secondary school, the review in Year 5 considers the "
            "choice of school, and the plan must be amended to name the new school by 15 "
            "February in Year 6.",
        )),
        "Between annual reviews, the SENCO may call an early review if the pupil's needs change "
        "significantly, and parents may ask for one too. The provision set out in the plan is "
        "kept under regular review through the graduated approach, as for any pupil with SEN.",
    ]),
    (1, "Working with parents, carers and pupils", [
        "Parents know their children best. We aim to work with them as partners, and to make "
        "sure that pupils themselves have a voice in decisions about their education.",
    ]),
    (2, "Partnership with parents and carers", [
        "The parents of a pupil receiving SEN support are invited to meet the class teacher at "
        "least three times a year, in addition to the usual parents' evenings, to set clear "
        "outcomes, review progress and discuss the activities and support that will help. These "
        "meetings are longer than a parents' evening appointment and may be held in person, by "
        "telephone or by video call.",
        "We tell parents when we first become concerned about their child, when we decide to add "
        "their child to the SEN register or to remove them from it, and when we propose to "
        "involve an outside agency. We always ask for consent before an outside professional "
        "works directly with a child.",
        "We recognise that meetings about a child's difficulties can be stressful. Parents are "
        "welcome to bring a friend, relative or advocate with them. Westmoor SENDIASS, the local "
        "information, advice and support service for special educational needs and "
        "disabilities, gives free and impartial advice to parents and can attend meetings with "
        "them.",
    ]),
    (2, "The voice of the pupil", [
        "Pupils are asked for their views at every stage of the graduated approach. We use "
        "methods suited to each child's age, communication and understanding, such as talking "
        "mats, drawings, symbol-based questionnaires, or a trusted adult who helps the pupil to "
        "prepare what they want to say.",
        "Pupils receiving SEN support are invited to the part of their review meeting that they "
        "are comfortable attending. Their one-page profile, written with them, tells staff what "
        "they are good at, what they find difficult and what helps, and it is updated at each "
        "review.",
        "We also ask pupils with SEND as a group what they think of the school, through the "
        "school council and an annual survey, and we use what they tell us when we review this "
        "policy and the accessibility plan.",
    ]),
    (1, "Transition", [
        "A change of class, teacher or school can be hard for any child, and may be especially "
        "difficult for pupils with SEND. We plan transitions early and share information "
        "carefully so that support continues without a gap.",
    ]),
    (2, "Starting at Larkspur Hill", [
        "Before a child with known or suspected SEN joins the Nursery or Reception class, the "
        "SENCO contacts the family and the child's early years setting and, where possible, "
        "visits the child there. Information from health visitors, early years staff and any "
        "specialists involved is used to plan the child's support from their first day.",
        "Children who join at other times of the year are offered a visit before they start. "
        "The SENCO asks the previous school for its records promptly, and meets the parents "
        "within the child's first four weeks to agree how their needs will be met.",
    ]),
    (2, "Moving between year groups", [
        "Each summer term, class teachers meet the next year's teacher to hand over information "
        "about every pupil with SEN, including current support plans and what has been learned "
        "about how each pupil learns best. Pupils who find change difficult are offered extra "
        "visits to their new classroom, photographs of their new teacher and room, and a social "
        "story to take home over the summer holiday.",
    ]),
    (2, "Moving to secondary school", [
        "The SENCO contacts the SENCOs of the receiving secondary schools during the summer "
        "term of Year 6, and earlier for pupils with EHC plans. Records are passed on in good "
        "time and, with the parents' agreement, staff from the secondary school are invited to "
        "the pupil's last review at Larkspur Hill.",
        "Pupils who need them are given additional transition visits, often in a small group "
        "with a familiar adult, and a booklet about their new school made with photographs "
        "supplied by that school. Where a secondary school runs a summer programme for new "
        "pupils with SEND, we encourage families to take part.",
        PAGE_BREAK,
    ]),
    (1, "Supporting pupils with medical conditions", []),
    (2, "Medical conditions and SEN", [
        "Pupils at school with medical conditions should be properly supported so that they "
        "have full access to education, including school trips and physical education. Some "
        "children with medical conditions are disabled, and where this is the case the school "
        "meets its duties under the Equality Act 2010.",
        "Some pupils with medical conditions also have SEN and may have an EHC plan that brings "
        "together their health and special educational provision. For these pupils, the SENCO "
        "and the member of staff responsible for medical needs work together so that the pupil "
        "has one coherent set of arrangements, rather than separate plans that do not refer to "
        "each other.",
    ]),
    (2, "Individual healthcare plans", [
        "Pupils with a long-term or complex medical condition have an individual healthcare "
        "plan, agreed with their parents and the relevant healthcare professionals. The plan "
        "describes the condition, the pupil's needs and any medication, what staff should do "
        "in an emergency, and who is trained to do it.",
        "Healthcare plans are reviewed at least once a year, or sooner if the pupil's needs "
        "change. The arrangements are set out in full in the school's policy on supporting "
        "pupils with medical conditions, which parents can ask for at the office or read on the "
        "school website.",
    ]),
    (1, "Training, resources and accessibility", []),
    (2, "Training and development", [
        "All teachers and teaching assistants receive training on SEND as part of their "
        "induction and take part in regular professional development. The SENCO reviews "
        "training needs each year, drawing on pupil progress meetings, lesson visits and staff "
        "surveys, and agrees a programme with the headteacher.",
        "Recent and planned training includes supporting pupils with speech and language "
        "difficulties, adaptive teaching in mathematics, understanding autism, and recognising "
        "and responding to anxiety. Staff who support pupils with particular medical or "
        "physical needs are trained by the relevant health professionals before they begin.",
        "The SENCO attends the local authority's SENCO network meetings each term to keep up to "
        "date with local and national developments, and shares what she learns with colleagues "
        "at staff meetings.",
    ]),
    (2, "Funding and resources", [
        "The school receives money for SEN within its delegated budget, sometimes called the "
        "notional SEN budget. It pays for the SENCO's time, teaching assistants, intervention "
        "programmes, specialist equipment and training. The school is expected to meet the "
        "first £6,000 of additional support for an individual pupil from this budget; where a "
        "pupil's needs cost more, the school may apply to the local authority for top-up "
        "funding.",
        "Governors receive an annual report from the SENCO on how the SEN budget has been spent "
        "and what difference that spending has made to pupils' progress. Resources are "
        "allocated to individual pupils according to need, and the allocation is explained to "
        "parents at review meetings.",
    ]),
    (2, "Accessibility", [
        "The school is committed to making its building, its curriculum and the information it "
        "provides accessible to all pupils, parents and visitors. Governors publish an "
        "accessibility plan, covering three years, which sets out how the school will:",
        Lettered((
            "increase the extent to which disabled pupils can take part in the curriculum, "
            "including clubs, trips and residential visits;",
            "improve the physical environment of the school, so that disabled pupils can take "
            "advantage of education and of the benefits, facilities and services provided;",
            "improve the delivery of information to disabled pupils, for example in large "
            "print, in simplified language or as audio.",
        )),
        "The main building is on one level and has an accessible toilet with a changing bench. "
        "The Year 5 and Year 6 classrooms are on the first floor and can at present be reached "
        "only by stairs; the accessibility plan includes proposals to address this, and in the "
        "meantime a class is moved to the ground floor when a pupil needs it.",
    ]),
    (1, "Complaints, monitoring and review", []),
    (2, "Complaints", [
        "Parents who are concerned about the support their child receives should speak first to "
        "the class teacher and then to the SENCO. Most concerns are resolved quickly in this "
        "way. If a concern is not resolved, parents may ask to meet the headteacher.",
        "Parents who remain dissatisfied may make a formal complaint under the school's "
        "complaints procedure, which is published on the school website. Complaints about the "
        "SENCO or the headteacher are handled as that procedure describes.",
        "Some disagreements, such as a local authority's decision not to carry out an EHC needs "
        "assessment, or the content of an EHC plan, are not matters for the school's "
        "complaints procedure. Parents have the right to mediation and to appeal to the "
        "First-tier Tribunal (Special Educational Needs and Disability). Parents who believe "
        "that their child has been discriminated against because of a disability may also bring "
        "a claim to the Tribunal. The SENCO can explain these routes, and Westmoor SENDIASS can "
        "give independent advice.",
    ]),
    (2, "Monitoring and evaluation", [
        "The SENCO monitors the quality of SEN provision through lesson visits, reviews of "
        "pupils' work and support plans, discussions with pupils and feedback from parents. The "
        "progress of pupils with SEN is analysed each term and compared with that of other "
        "pupils, both in the school and nationally.",
        "Each year the SENCO reports to governors on the number of pupils with SEN and the "
        "nature of their needs, the progress they make, the effectiveness of interventions, the "
        "use of resources and the views of parents and pupils. The governing board uses this "
        "report to judge whether the aims in 1.2 are being met.",
    ]),
    (2, "The local offer", [
        "Westmoor Council publishes a local offer, which sets out in one place the support "
        "available in the area for children and young people with SEND and their families, "
        "including education, health and social care services, leisure activities and support "
        "for families. The local offer can be found on the Westmoor Council website, and paper "
        "copies are available from the school office.",
        "The school's contribution to the local offer is its SEN information report, which "
        "explains how the school identifies and supports pupils with SEND and how parents can "
        "be involved. The report is reviewed every year and published on the school website.",
    ]),
    (2, "Review of this policy", [
        "This policy will be reviewed by the SENCO and the headteacher every year and approved "
        "by the full governing board. The next review is due in September 2027. It may be "
        "reviewed sooner if the law or statutory guidance changes, or if consultation, "
        "monitoring or complaints show that a change is needed.",
        "Comments on this draft should reach the SENCO by Friday 2 October 2026. Responses will "
        "be collated and considered by the SEN governor and the senior leadership team, and a "
        "summary of the changes made will be shared with everyone who took part in the "
        "consultation.",
    ]),
]


# -- numbering ------------------------------------------------------------------------------------

class Level(NamedTuple):
    """One w:lvl of an abstract list."""

    fmt: str
    text: str
    indent: int                   # twips: w:ind left
    hanging: int                  # twips: w:ind hanging, the room for the label
    style: str | None = None      # the paragraph style linked to this level


HEADING_LEVELS = [Level("decimal", "%1", 432, 432, "Heading1"),
                  Level("decimal", "%1.%2", 576, 576, "Heading2")] + [
    Level("decimal", ".".join(f"%{n}" for n in range(1, i + 2)), 432 + 144 * i, 432 + 144 * i)
    for i in range(2, 9)
]
LETTERED_LEVELS = [Level("lowerLetter", "(%1)", 720, 360)]
BODY_LEVEL = 2                    # Numbered paragraphs: the third level, "%1.%2.%3"


def _w(parent, tag: str, val: object = None, **attrs: object):
    """Append w:tag to parent, with w:val and other w: attributes."""
    el = etree.SubElement(parent, qn(tag))
    if val is not None:
        el.set(qn("w:val"), str(val))
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), str(value))
    return el


def abstract_num(abstract_id: int, nsid: str, tmpl: str, kind: str, levels: list[Level]):
    """A w:abstractNum with its levels, children in schema order."""
    el = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    _w(el, "w:nsid", nsid)
    _w(el, "w:multiLevelType", kind)
    _w(el, "w:tmpl", tmpl)
    for ilvl, level in enumerate(levels):
        lvl = _w(el, "w:lvl", ilvl=ilvl)
        _w(lvl, "w:start", 1)
        _w(lvl, "w:numFmt", level.fmt)
        if level.style:
            _w(lvl, "w:pStyle", level.style)
        _w(lvl, "w:lvlText", level.text)
        _w(lvl, "w:lvlJc", "left")
        _w(_w(lvl, "w:pPr"), "w:ind", left=level.indent, hanging=level.hanging)
    return el


def num(num_id: int, abstract_id: int, restart: bool = False):
    """A w:num instance of an abstract list; ``restart`` starts its first level again at 1."""
    el = OxmlElement("w:num", {qn("w:numId"): str(num_id)})
    _w(el, "w:abstractNumId", abstract_id)
    if restart:
        _w(_w(el, "w:lvlOverride", ilvl=0), "w:startOverride", 1)
    return el


@dataclass(frozen=True)
class NumIds:
    """The w:numId values this document's paragraphs refer to."""

    headings: int
    lettered: tuple[int, ...]     # one per Lettered block, in document order


def add_numbering(doc, lettered_lists: int) -> NumIds:
    """Add the heading list and the lettered lists after the template's own nine lists."""
    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))]
    nums = list(numbering.iter(qn("w:num")))
    next_abstract = max(abstract_ids) + 1
    next_num = max(int(n.get(qn("w:numId"))) for n in nums) + 1
    ids = NumIds(next_num, tuple(range(next_num + 1, next_num + 1 + lettered_lists)))
    # schema order: every w:abstractNum comes before the first w:num
    nums[0].addprevious(abstract_num(next_abstract, "3B5E2A10", "0809001F", "multilevel",
                                     HEADING_LEVELS))
    nums[0].addprevious(abstract_num(next_abstract + 1, "6C1D4F21", "08090017", "singleLevel",
                                     LETTERED_LEVELS))
    last = nums[-1]
    new_nums = [num(ids.headings, next_abstract)] + [
        num(num_id, next_abstract + 1, restart=index > 0)
        for index, num_id in enumerate(ids.lettered)]
    for el in new_nums:
        last.addnext(el)
        last = el
    return ids


def link_heading_styles(doc, num_id: int) -> None:
    """Give Heading 1 and Heading 2 the heading list, as Word does (w:numPr in the style)."""
    for ilvl, name in enumerate(("Heading 1", "Heading 2")):
        num_pr = doc.styles[name].element.get_or_add_pPr().get_or_add_numPr()
        if ilvl:
            num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().val = num_id


def set_numbering(paragraph, num_id: int, ilvl: int) -> None:
    """Number one paragraph directly (w:numPr in its w:pPr)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


# -- styles, page, body ---------------------------------------------------------------------------

def set_up_page(doc) -> None:
    """A4 with 2.54 cm margins, header and footer tab stops to match, British English."""
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Twips(708)
    text_width = A4[0].twips - 2 * MARGIN.twips
    for name in ("Header", "Footer"):
        tabs = doc.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(Twips(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(Twips(text_width), WD_TAB_ALIGNMENT.RIGHT)
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    lang.set(qn("w:val"), "en-GB")


def add_footnote_styles(doc) -> None:
    """Word's built-in 'footnote text' and 'footnote reference' styles (not in the template)."""
    text = doc.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    reference = doc.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER, builtin=True)
    text.style_id, reference.style_id = "FootnoteText", "FootnoteReference"
    text.base_style = doc.styles["Normal"]
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.line_spacing = 1.0
    text.font.size = Pt(10)
    reference.font.superscript = True
    for style in (text, reference):
        style.priority, style.hidden, style.unhide_when_used = 99, True, True


def write_body(doc, ids: NumIds) -> list[str]:
    """Title, front matter and every section; returns the footnote texts in reference order."""
    doc.add_paragraph(TITLE, style="Title")
    doc.add_paragraph(FRONT_MATTER)
    notes: list[str] = []
    lettered = iter(ids.lettered)
    for level, title, blocks in SECTIONS:
        doc.add_paragraph(title, style=f"Heading {level}")
        for block in blocks:
            write_block(doc, block, ids.headings, lettered, notes)
    return notes


def write_block(doc, block: Block, heading_num: int, lettered: Iterator[int],
                notes: list[str]) -> None:
    """Write one block of a section's text."""
    if isinstance(block, str):
        write_text(doc.add_paragraph(), block, notes)
    elif isinstance(block, Numbered):
        for text in block.items:
            set_numbering(doc.add_paragraph(text), heading_num, BODY_LEVEL)
    elif isinstance(block, Bullets):
        for text in block.items:
            doc.add_paragraph(text, style="List Bullet")
    elif isinstance(block, Lettered):
        num_id = next(lettered)
        for text in block.items:
            set_numbering(doc.add_paragraph(text, style="List Paragraph"), num_id, 0)
    elif isinstance(block, Table):
        write_table(doc, block)
    elif isinstance(block, PageBreak):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        raise TypeError(f"SECTIONS holds a block of unknown kind: {block!r}")


NOTE_MARK = re.compile(r"\[\^(\w+)\]")


def write_text(paragraph, text: str, notes: list[str]) -> None:
    """Runs of text, with a footnote reference wherever the text says [^key]."""
    for index, piece in enumerate(NOTE_MARK.split(text)):
        if index % 2 == 0:
            if piece:
                paragraph.add_run(piece)
            continue
        notes.append(FOOTNOTES[piece])
        run = paragraph.add_run()
        run._r.style = "FootnoteReference"
        run._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(len(notes))}))


def write_table(doc, spec: Table) -> None:
    """A Table Grid table with fixed column widths and a bold, repeating header row."""
    table = doc.add_table(rows=1 + len(spec.rows), cols=len(spec.header))
    table.style = doc.styles["Table Grid"]
    for column, width in zip(table.columns, spec.widths):
        column.width = Twips(width)
    for index, (row, texts) in enumerate(zip(table.rows, (spec.header,) + spec.rows)):
        for cell, text, width in zip(row.cells, texts, spec.widths):
            cell.width = Twips(width)
            run = cell.paragraphs[0].add_run(text)
            if index == 0:
                run.bold = True
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


# -- header, footer, footnotes, properties ------------------------------------------------------

def add_header_footer(doc) -> None:
    """Header text; footer with the school name on the left and the page number on the right."""
    section = doc.sections[0]
    section.header.paragraphs[0].add_run(HEADER_TEXT)
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{SCHOOL}\t\tPage ")
    instruction = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instruction.text = " PAGE "
    footer.add_run()._r.append(field_char("begin"))
    footer.add_run()._r.append(instruction)
    footer.add_run()._r.append(field_char("separate"))
    footer.add_run("1")               # the result shown until the field is updated
    footer.add_run()._r.append(field_char("end"))


def field_char(kind: str):
    """w:fldChar of type begin, separate or end: the parts of a complex field."""
    return OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})


def footnotes_element(notes: list[str]):
    """w:footnotes: Word's separator (-1) and continuation separator (0), then notes 1, 2..."""
    root = OxmlElement("w:footnotes")
    for note_id, kind in ((-1, "separator"), (0, "continuationSeparator")):
        paragraph = _w(_w(root, "w:footnote", type=kind, id=note_id), "w:p")
        _w(_w(paragraph, "w:pPr"), "w:spacing", after=0, line=240, lineRule="auto")
        _w(_w(paragraph, "w:r"), f"w:{kind}")
    for note_id, text in enumerate(notes, start=1):
        paragraph = _w(_w(root, "w:footnote", id=note_id), "w:p")
        _w(_w(paragraph, "w:pPr"), "w:pStyle", "FootnoteText")
        run = _w(paragraph, "w:r")
        _w(_w(run, "w:rPr"), "w:rStyle", "FootnoteReference")
        _w(run, "w:footnoteRef")
        t = _w(_w(paragraph, "w:r"), "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = " " + text
    return root


def add_footnotes(doc, notes: list[str]) -> None:
    """The footnotes part, its relationship from the document, and Word's settings entry."""
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, footnotes_element(notes),
                   doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    footnote_pr = OxmlElement("w:footnotePr")
    for note_id in (-1, 0):
        _w(footnote_pr, "w:footnote", id=note_id)
    # CT_Settings: w:footnotePr comes before w:compat
    doc.settings.element.find(qn("w:compat")).addprevious(footnote_pr)


def set_properties(doc) -> None:
    """Fixed core properties, so that every build is the same."""
    props = doc.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.title = TITLE
    props.subject = "Draft 1 — for consultation"
    props.comments = ""
    props.created = props.modified = TIMESTAMP
    props.revision = 1


def fixed_zip(data: bytes) -> bytes:
    """The same zip entries in the same order, each stamped with ZIP_TIME."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def build(path: str | Path = OUTPUT) -> Path:
    """Write the sample draft to ``path``; the same bytes every time."""
    doc = Document()
    set_up_page(doc)
    add_footnote_styles(doc)
    lettered = [block for _, _, blocks in SECTIONS for block in blocks
                if isinstance(block, Lettered)]
    ids = add_numbering(doc, len(lettered))
    link_heading_styles(doc, ids.headings)
    notes = write_body(doc, ids)
    add_header_footer(doc)
    add_footnotes(doc, notes)
    set_properties(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    target = Path(path)
    target.write_bytes(fixed_zip(buffer.getvalue()))
    return target


if __name__ == "__main__":
    print(f"wrote {build(sys.argv[1] if len(sys.argv) > 1 else OUTPUT)}")
