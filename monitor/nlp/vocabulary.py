"""Closed word lists the entity rules rely on.

For: titles that precede a person's name, head nouns that end an organisation's name, words that
end names of things that are not organisations (laws, plans, buildings), acronyms common in this
news that name no organisation, and demonyms. Not for: names of particular organisations or
places; those belong in the data files, where admins can edit them.
"""
from __future__ import annotations

PERSON_TITLES = frozenset(
    """mr mrs ms miss dr prof professor minister premier president chairman chairperson chairwoman
    director general gen lt lieutenant col colonel maj major capt captain brig brigadier commander
    cmdr marshal admiral air vice chief justice judge sardar nawab ssp sp dsp dig ig igp aig sho asi
    inspector sub-inspector superintendent constable mna mpa senator governor ambassador envoy
    spokesperson spokesman spokeswoman secretary advocate barrister maulana mufti qari commissioner
    deputy additional assistant officer anchor journalist analyst retired retd (retd) former late
    interior foreign finance federal provincial state prime cm pm dg ceo chairman's minister's
    opposition leader mayor coach former- sepoy naik lance havildar hawaldar subedar sipahi coordinator""".split()
)

# The last word of most organisation names; a capitalised phrase ending in one is an organisation.
ORGANISATION_HEADS = frozenset(
    """Authority Agency Department Ministry Division Directorate Commission Committee Council Centre
    Center Institute Institution Foundation Organisation Organization Front Party Movement League
    Trust Force Forces Bureau Corps Court Assembly Senate Association Union Federation Society Bank
    Company Corporation Group Army Navy Police Wing Wings University College Board Office Cell
    Network Secretariat Services Guards Guard Rangers Constabulary Levies Tribunal Cabinet Chamber
    Alliance Coalition Brigade Battalion Regiment Unit Studies Fund Watch Limited Ltd Inc Channel
    Agencies Departments Commissions Circle Establishment Command Mission Conference
    Tehreek Tehrik Lashkar Jaish Sipah Jamaat Jamiat Foundation Academy School""".split()
)

# Capitalised phrases ending in these name laws, plans, places or things, not organisations.
# Buildings and sites count here too: the gold conventions treat "Parliament House", "Civil
# Hospital" or "Quetta Press Club" as places where something happened, not as actors.
NOT_ORGANISATION_ENDINGS = frozenset(
    """Act Acts Plan Ordinance Bill Code Policy Strategy Amendment Report Constitution Law Laws Rules
    Regulations House Day Week Card Cards Dollar Dollars Rupee Rupees Index Operation Operations
    Summit Agreement Accord Declaration Resolution Treaty Convention Visa Portal Festival
    Hospital Hospitals Club Stadium Airport Hotel Jail Prison Mosque Mall Plaza Terminal
    Programme Program Programmes Project Projects Scheme Schemes Initiative System Systems Package""".split()
)

NON_ORGANISATION_ACRONYMS = frozenset(
    """SIM SIMS SIMs IMEI CNIC CNICs NIC IED IEDs FIR FIRs IBO IBOs IT GDP PPC CrPC CCTV VPN VPNs SMS
    ID IDs MNA MPA MNAs MPAs SHO DIG IG IGP SSP DSP DPO CPO CEO NGO NGOs INGO INGOs PKR USD GPS COVID
    AI PDF URL URLs TV HQ PM CM DG ATA PECA NAP APS ISP ISPs IP OTP ATM SOP SOPs VIP RPG UAV UAVs GSM
    LTE MoU MOU KM KG LOC LoC ICT GMT PST AM PM BS MS PhD MBBS MBA OK CV RS PTV- CFT KYC STR STRs CTR CTRs
    CDD TBML SMG SMGs LMG LMGs HMG MG AK AK-47 RPGs G3 IEDs SUV APC MMG""".split()
)

DEMONYMS_AND_FAITHS = frozenset(
    """pakistani pakistanis afghan afghans afghani indian indians chinese iranian iranians american
    americans british saudi saudis arab arabs baloch baluch pashtun pashtuns pakhtun pakhtuns
    sindhi sindhis punjabi punjabis muhajir muslim muslims islam islamic hindu hindus christian
    christians sikh sikhs shia shias sunni sunnis ahmadi ahmadis uyghur uyghurs nigerian nigerians
    syrian syrians iraqi iraqis turkish russian russians israeli israelis palestinian palestinians
    kashmiri kashmiris western european europeans emirati emiratis bangladeshi bangladeshis
    tajik tajiks uzbek uzbeks hazara hazaras deobandi barelvi salafi wahhabi jihadi jihadis
    khawarij khariji kharijis""".split()
)

# Lower-case nouns after a place-like name that make it the name of a scheme: "Safe City project".
PLACE_NAMED_THINGS = frozenset({"project", "projects", "scheme", "schemes", "programme", "program", "initiative"})
PLACE_FOLLOWERS = frozenset({"district", "tehsil", "agency", "division", "valley", "subdivision", "sub-division"})
# Last words of neighbourhood and village names in Pakistani cities: "Sohrab Goth", "Orangi Town".
LOCALITY_ENDINGS = frozenset({"Goth", "Town", "Colony", "Nagar"})
# References to a place's government or police in lower case ("the Sindh government", "the
# Karachi police") describe a body rather than name it; the gold conventions count them as generic,
# like "the federal government" and "local police".
DESCRIPTIVE_BODY_WORDS = frozenset({"government", "police", "administration"})
# Words that open a reference to part of a law or document, never an organisation: "Sections 4".
REFERENCE_OPENERS = frozenset({"section", "sections", "article", "articles", "clause", "clauses", "chapter",
                               "schedule", "paragraph", "rule", "rules"})
# Posts, not people or organisations: "former Inspector General of Police", "Director General".
OFFICE_TITLES = frozenset(
    """inspector director chief minister secretary chairman chairperson commissioner superintendent
    deputy additional assistant president governor ambassador spokesperson spokesman judge justice
    advocate attorney auditor registrar""".split()
)

# Name parts that mark a person in Pakistani usage: "Khawaja Khalid Farooq", "Syed Ali Shah".
PERSON_NAME_PREFIXES = frozenset(
    """khawaja khwaja syed sayed syeda mian malik chaudhry chaudhary choudhry sheikh shaikh hafiz
    maulana mufti raja sardar pir makhdoom qazi rana mir mirza nawabzada sahibzada begum bibi
    mohammad muhammad mohammed muhammed""".split()
)

# Urdu and Arabic words that begin the names of movements, parties and armed groups: "Tehreek"
# (movement), "Lashkar" (army), "Jaish" (army), "Sipah" (soldiers), "Jamaat"/"Jamiat" (party,
# society), "Harkat" (movement), "Hizb" (party), "Majlis" (council), "Anjuman", "Tanzeem"
# (organisation), "Idara" (institution), "Millat" (nation), "Khuddam" (servants), "Jund" (army).
URDU_ORGANISATION_WORDS = frozenset(
    """tehreek tehrik tahreek tahrik lashkar jaish sipah jamaat jamaatud jamaatul jamatud jamiat
    jamiatul harkat harkatul hizb hizbul hizbut majlis anjuman tanzeem idara millat khuddam
    khuddamul jund jundullah ansar ansarul""".split()
)

# Last words of posts: "National Coordinator", "Director General", "Provincial Secretary" name a job, not a body.
JOB_TITLE_ENDINGS = frozenset(
    """coordinator secretary minister director general spokesman spokesperson chairman chairperson
    commissioner inspector officer adviser advisor governor president premier ambassador commander
    superintendent registrar attorney auditor controller""".split()
)
# Words for a field of work; a span made only of them names a subject ("Counter Terrorism",
# "Cyber Crime"), not a body.
FIELD_WORDS = frozenset(
    """counter anti terrorism counter-terrorism anti-terrorism cyber crime crimes cybercrime security
    narcotics extremism militancy intelligence financing money laundering terror""".split()
)
