"""Word lists shared by the recognizers, planning and the unexplained-word sweep.

One place for the words that say "a name follows" or "this word is part of how
a person is named": :mod:`redact.detect.rules` builds patterns from them,
:mod:`redact.plan` strips them from names and reads them around spans, and
:mod:`redact.explain` takes them as cues.
"""

from __future__ import annotations

__all__ = ["KINSHIP_WORDS", "FAMILY_TERMS", "NAME_TITLES", "RANKS", "ROLE_WORDS", "CHAT_WORDS",
           "INTERJECTIONS", "PERSON_NOUNS",
           "PLACE_NOUNS",
           "CALENDAR_WORDS", "FEAST_WORDS", "PRODUCT_NAMES", "WEEKDAYS", "DEITY_WORDS",
           "PERSON_BEFORE", "PERSON_AFTER", "PLACE_BEFORE", "PLACE_AFTER", "PEOPLES",
           "WORKPLACE_BEFORE", "UNIT_WORDS",
           "RANK_WORDS"]

#: Titles and honorifics that precede a name (lower case, without the dot).
NAME_TITLES = frozenset("""
mr mrs ms miss mx dr prof sir madam madame mme mlle herr frau sr sra srta don dona
sheikh shaikh imam mullah haji hajji hajj ustaz ustad mufti qadi alhaji daw
pani pan panie pana sdr sdri bapak ibu
""".split())

#: Family words of other languages that a chat uses as names of a role ("Mami:", "tita
#: Baby", "kuya Jun"): never first names themselves.
FAMILY_TERMS = frozenset("""mami papi abuela abuelo abuelita tia tio tita tito kuya bhai bhaiya
amma appa ammi ammu abbu abba nani dadi behen bhabhi chacha chachi baji mija mijo hermano
hermana tía tío sobrino sobrina hijo hija esposo esposa marido mamá papá madre padre
cuñado cuñada irmão irmã filho filha mãe avó avô lola lolo pinsan nieto nieta primo
sobrinho sobrinha""".split())

#: Kinship and relationship words after which a capitalised word is a name.
KINSHIP_WORDS = FAMILY_TERMS | frozenset("""
uncle aunt auntie aunty cousin brother sister nephew niece son daughter husband wife
father mother dad mum mom grandfather grandmother grandpa grandma granddad granny
nana nan nanna gran grandad mama mamma papa mommy mummy daddy
stepfather stepmother stepson stepdaughter brother-in-law sister-in-law father-in-law
mother-in-law son-in-law daughter-in-law fiance fiancee fiancé fiancée boyfriend girlfriend
partner friend neighbour neighbor colleague classmate roommate flatmate boss employer
lawyer driver interpreter boy girl kid child baby
grandson granddaughter godfather godmother godson goddaughter stepbrother stepsister
half-brother half-sister missus missis hubby wifey bf gf
manager supervisor landlord landlady teacher coach
""".split())

#: What people are to the ones around them, at work and in a community: after "X, the"
#: or "X, our" they say that X is someone ("Mercy, the chairlady of our group").
OCCUPATIONS = frozenset("""
chairlady chairman chairwoman chairperson secretary treasurer leader organiser organizer
coordinator nurse midwife doctor pastor imam priest sheikh preacher tailor shopkeeper
mechanic cook cleaner guard watchman trader vendor farmer fisherman teacher headteacher
headmaster headmistress student journalist reporter activist lawyer paralegal accountant
clerk cashier owner manager supervisor foreman driver conductor porter nanny housemaid
maid caretaker janitor barber hairdresser seamstress builder carpenter plumber electrician
welder miner herder shepherd butcher baker volunteer translator spokesman spokeswoman
""".split())

#: Nouns for a person, whoever they are: "the guard that they called ...", "Will was the
#: driver".
PERSON_NOUNS = frozenset("""
man men woman women person guy lady gentleman boy girl player soldier soldiers officer
officers policeman policewoman guard guards interrogator interrogators commander warden
jailer agent official investigator boss supervisor colleague friend neighbour neighbor
driver doctor nurse worker labourer laborer resident villager refugee migrant member
fighter victim prisoner detainee activist""".split())

#: Who speaks or signs in a transcript or a judgment: roles, no one's name ("INTERVIEWER:",
#: "Interpreter:", "(Sgd.)", "2ND PETITIONER"). The model now and then calls them names or
#: bodies; alone, they are kept.
ROLE_WORDS = frozenset("""interviewer interpreter translator transcriber witness applicant
applicants petitioner petitioners respondent respondents defendant claimant complainant
accused appellant sgd signed caseworker caseworkers paralegal rapporteur caller patient
client survivor detainee detainees returnee returnees""".split())

#: Ranks are also ordinary words ("a major city"): they count only when capitalised.
RANKS = frozenset("Commander Officer Sergeant Lieutenant Captain Major Colonel General "
                  "Inspector Investigator Warden Judge Prosecutor "
                  # as police reports and judgments abbreviate them ("Maj. Umarov", "Lt Black")
                  "Lt Lieut Sgt Capt Cpt Maj Col Gen Brig Cpl Pte Pvt Insp Supt Cdr Cmdr".split())
#: The same in lower case, as word lists compare them.
RANK_WORDS = frozenset(r.casefold() for r in RANKS)

#: Words that label a line or a form's field ("Note:", "Answer:", "Int.:", "Patient:"),
#: although a name list may hold some: no speaker's name.
FIELD_LABELS = frozenset("""
note notes date time place subject re answer question witness interviewer interpreter
translator address name names age sex gender phone tel email from to cc summary update
source location status comment comments reply me you when where title dob id passport q a
case statement file user agent fwd author editor reporter creator owner manager company
category keywords producer photographer credit caption via photo image video lastmodifiedby
modified created version warning error int intv tr transl patient client caller victim
complainant spouse occupation nationality religion village district province region country
city mobile contact ref reference incident details description outcome action
station nature employer workplace worksite school hospital ward remarks diagnosis history
findings signature dated residence origin destination vehicle relationship relation
ethnicity tribe language education injuries examination camp block sector
nama umur usia alamat agama pekerjaan tempat lahir tanggal jenis kelamin kewarganegaraan
nombre edad fecha nacimiento domicilio dirección direccion sexo ocupación ocupacion
nacionalidad lugar nome idade data morada endereço profissão nom prénom âge adresse
nationalité lieu naissance adı soyadı yaş adres doğum jina umri anwani kazi
varsta vârsta nasterii nașterii domiciliu idnp
born birth home hometown birthplace height weight eyes hair marks tattoo tattoos fields columns
""".split())

#: How chats and comments write ordinary words: contractions without the apostrophe,
#: abbreviations, interjections (lower case). Common words of a chat, never names: a name
#: list may hold some ("Ya", "Dm"), the dictionaries do not.
CHAT_WORDS = frozenset("""
im ive youre youve youll hes shes theyre theyve weve dont doesnt didnt cant couldnt wouldnt
shouldnt wont isnt arent wasnt werent hasnt havent hadnt thats whats wheres whos hows
theres aint gonna wanna gotta kinda sorta dunno lemme gimme ya yall ur pls plz thx thanx
ty np idk imo imho btw tbh omg lol lmao rofl haha hahaha hehe brb smh fyi asap dm dms pm
rn nite tho thru cuz coz bc tmrw tmr msg msgs txt pic pics vid vids bro bros sis bruh fam
tg ig fb insta shoutout shoutouts bday aita
yeah yea yep yup nope nah hmm hm mhm mm uh um umm ooh wow yay ugh meh whoa okay ok
""".split()) | frozenset(
    # greetings, thanks and formulas of other languages that chats and statements keep as
    # they were said (none a first name in the name lists: not "salam", "sasa", "abi")
    """inshallah inshaallah alhamdulillah hamdulillah wallahi subhanallah astaghfirullah
    yallah habibti shukran assalamu alaikum alaykum ahlan marhaba khalas yaani ukhti yaar
    accha achha shukriya mungu karibu habari hakuna ndugu rafiki opo talaga diyos ingat
    kababayan mabuhay gracias dios amiga porfa órale ándale davai spasibo bratan rebyata
    khoda azizam joon kardeşim inşallah
    bonsoir bonjour salut merci très buenas buenos noches tardes días hola adiós obrigado
    obrigada namaste namaskar dhanyavad dhanyabad tashakor tashakur tashakkur khodahafez
    khodahafiz mamnoon mamnun mersi dobryi dobryy dobry privet zdravstvuyte zdrastvuyte
    dyakuyu spasybi horosho khorosho ladno perdón perdon disculpe merhaba teşekkürler
    tesekkurler sağol sagol kamusta kumusta maraming asalaam walaikum alaikumsalam
    salamu""".split())
#: Interjections that open a reply, capitalised or not, although a name list holds some
#: ("Okay", "Ok"): never a name.
INTERJECTIONS = frozenset("okay ok yeah yea yep yup nope nah hmm wow ugh oops".split())

#: Words for a place that "called", "named" or "known as" can follow ("a village called X").
PLACE_NOUNS = frozenset("""
village town city settlement hamlet district province region oblast raion rayon county
municipality aul kishlak neighbourhood neighborhood quarter suburb camp checkpoint valley
gorge place street road square river lake mountain island area estate compound farm
""".split())

#: Feasts, fasts and the months of the Islamic calendar (lower case): no person or place,
#: although a name list may hold some ("Eid"); they explain themselves in any case.
FEAST_WORDS = frozenset("""
christmas easter lent ramadan ramazan eid fitr adha kurban qurban uraza bayram bairam
ashura mawlid muharram rajab shaban shawwal nowruz navruz novruz nauryz diwali holi vesak
hanukkah purim passover pesach rosh hashanah yom kippur sukkot
""".split())

#: Days of the week and their short forms: never a first name ("[Fri 21:03]").
WEEKDAYS = frozenset("""monday tuesday wednesday thursday friday saturday sunday mon tue tues
wed thu thurs fri sat sun mondays tuesdays wednesdays thursdays fridays saturdays
sundays""".split())

#: A month's name or its abbreviation, as a regular expression ("Mar", "Sept.", "June").
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
#: Words for years after an age, in English and as other languages write them ("16 yrs",
#: "17 thn", "27 let", "27 ani", "19 años"): a regular expression's alternation.
YEAR_UNITS = (r"yrs?|years?(?:[ \t]+old)?|y/?o|thn|th|tahun|taon|anyos|años|anos|ans|let|goda|"
              r"god|rokiv|roky|lat|jahre|anni|ani|yaşında|yasinda|sana|saal")
#: Months as other languages write them in a date ("12 listopada 2021", "5 de marzo de
#: 2022", "2 Agustus 2023", "30 Haziran 2024", "2 Baisakh 2081"), lower case: Spanish,
#: Portuguese, French, Italian, German, Indonesian and Malay, Tagalog, Swahili, Turkish,
#: Polish, Russian and Ukrainian (transliterated, as dates write them), Nepali, Persian.
FOREIGN_MONTHS = frozenset("""
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
diciembre janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre
décembre decembre gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
januar februar märz marz juni juli oktober dezember januari februari maret mei agustus
desember ogos disember pebrero marso hunyo hulyo setyembre oktubre nobyembre disyembre
machi aprili julai agosti septemba oktoba novemba desemba ocak şubat subat mart nisan mayıs
mayis haziran temmuz ağustos agustos eylül eylul ekim kasım kasim aralık aralik stycznia
lutego marca kwietnia maja czerwca lipca sierpnia września wrzesnia października
pazdziernika listopada grudnia yanvarya fevralya marta aprelya iyunya iyulya avgusta
sentyabrya oktyabrya noyabrya dekabrya sichnya lyutoho bereznya kvitnya travnya chervnya
lypnya serpnya veresnya zhovtnya hrudnya baisakh baishakh jestha jeth asar asadh shrawan
saun bhadra asoj ashwin kartik mangsir poush push magh falgun phagun chaitra chait farvardin
ordibehesht khordad tir mordad shahrivar mehr aban azar dey bahman esfand
""".split())
#: A date with a day, a month and a year, in digits or with a month's name, as a regular
#: expression: "12/03/2024", "2024-03-12", "11 March 2024", "Mar 11th, 2024".
FULL_DATE = (r"(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}|"
             rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?i:{MONTHS}),?\s+\d{{4}}|"
             rf"(?i:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")

#: Names of months, days, seasons and feasts (lower case): the words of a date that are
#: no common word or are also first names ("June", "Eid", "Navruz").
CALENDAR_WORDS = FEAST_WORDS | WEEKDAYS | frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
spring summer autumn fall winter al ul new year noon midnight
day eve dawn late mid valentine valentines victory good holy saint
""".split())

#: Apps, phones and vehicles that statements name ("sent it on viber", "a white Niva"):
#: products, not people or places, in any case. One that is also a first name ("Lada",
#: "Mercedes") is left to the other rules: a name list holding it outweighs this list.
PRODUCT_NAMES = frozenset("""
whatsapp telegram viber signal skype imo facebook messenger instagram tiktok youtube
twitter snapchat vk vkontakte odnoklassniki wechat weibo line zoom gmail google
linkedin reddit discord twitch threads bluesky mastodon
iphone ipad android samsung huawei xiaomi nokia motorola oppo vivo tecno infinix
niva zhiguli priora gazelle kamaz uaz lada volga toyota hyundai kia opel bmw audi
volkswagen vw nissan honda mitsubishi ford chevrolet daewoo renault peugeot skoda
hilux landcruiser prado camry corolla benz mercedes mazda subaru isuzu suzuki
""".split())

#: Abbreviations written with a slash, in forms and chats: "n/a", "c/o", "a/c"; "s/o",
#: "d/o", "w/o" (son, daughter, wife of) and "r/o" (resident of) in South Asian papers.
SLASH_WORDS = frozenset({"n/a", "c/o", "w/o", "w/", "s/o", "d/o", "h/o", "r/o", "a/c", "i/c",
                         "b/c", "b/w", "p/o", "f/o", "y/o", "yr/o"})

#: What believers call God (lower case): no person of a statement, in any case.
DEITY_WORDS = frozenset({"allah", "god", "lord", "yahweh", "jehovah", "khuda", "elohim"})

#: Words after which an unknown word is a person ("my cousin aslanbek", "met rustam").
PERSON_BEFORE = frozenset(KINSHIP_WORDS | NAME_TITLES | {
    "named", "called", "call", "calls", "nicknamed", "alias", "aka", "name", "mr", "mrs", "ms",
    "dear", "hi", "hey", "hello", "bye", "thanks", "thank", "with", "by", "told", "tell", "asked",
    "ask", "met", "saw", "see", "visited", "took", "take", "arrested", "detained", "beat",
    "killed", "against", "like", "guy", "man", "woman", "boy", "girl", "kid", "son", "daughter",
    "mama", "papa", "grandpa", "grandma", "auntie", "teacher", "commander", "officer",
    "investigator", "judge", "doctor", "neighbour", "neighbor", "wife", "husband", "baby"})
#: Words before which an unknown word is a person ("timur said").
PERSON_AFTER = frozenset({
    "said", "says", "say", "told", "tells", "asked", "asks", "called", "calls", "wrote", "writes",
    "replied", "answered", "came", "went", "was", "is", "has", "had", "did", "does", "knows",
    "knew", "saw", "sees", "took", "takes", "gave", "gives", "got", "gets", "and", "or",
    "who", "himself", "herself", "he", "she", "from", "with", "aka", "alias", "fan", "fans"})
#: Words for a village, a quarter or a ward that stand before its name, in the countries
#: statements come from ("Barangay Tabok", "Purok 4", "Mtaa wa Kanisa", "Kebele 05",
#: "Quartier Gbegamey", "Tehsil Kabal", "Woreda Adwa", "caserío Los Almendros").
LOCAL_UNITS = frozenset("""
village hamlet settlement aul kishlak vereda aldea barrio colonia caserío caserio ejido
corregimiento localidad cantón kebele woreda mahalla mahalle mohalla mohallah tehsil taluka
taluk barangay brgy purok sitio kampung kampong desa dusun kelurahan kecamatan mtaa kijiji
bairro quartier posyolok poselok selo derevnya khoroo
""".split())
#: Words after which an unknown word is a place ("from tsechoy", "vul. sadova").
PLACE_BEFORE = frozenset(LOCAL_UNITS | {
    "from", "in", "on", "near", "outside", "inside", "at", "to", "into", "towards", "toward",
    "around", "via", "between", "across", "through", "of", "town", "city",
    "district", "region", "oblast", "raion", "rayon", "valley", "gorge", "camp", "street", "st",
    "vul", "vulytsia", "ul", "ulitsa", "prospekt", "pr", "prov", "calle", "avenida", "rue",
    "ulica", "sokak", "road", "lane"})
#: The articles inside street names: "rue des Orangers", "calle de la Paz", "Rua do Sol".
STREET_ARTICLES = frozenset({"de", "del", "la", "los", "las", "do", "da", "al", "el", "des",
                             "du"})
#: Words between a name and its age: "maybe 17", "approx. 40", "then 12", "like 70" (a full
#: stop may follow: "approx.", "c.").
AGE_HEDGES = frozenset({"then", "now", "aged", "only", "just", "about", "around", "approx",
                        "approximately", "maybe", "perhaps", "probably", "roughly", "nearly",
                        "almost", "barely", "like", "c", "ca"})
#: Units of measure written short: "5 km", "20 kg", "3 hrs" (a name list holds "km").
UNIT_WORDS = frozenset("""km kms kg kgs cm mm ml mg lb lbs oz ft mph kph kmh hr hrs min mins
sec secs mb gb kb""".split())
#: Workplaces named after their kind ("salon nigina", "cafe narenj", "the call center,
#: paivand plus"): an unknown word right after one is the workplace's name.
WORKPLACE_BEFORE = frozenset({
    "salon", "cafe", "café", "hotel", "restaurant", "shop", "store", "bakery", "pharmacy",
    "clinic", "hospital", "school", "college", "madrasa", "madrassa", "masjid", "mosque",
    "church", "company", "firm", "factory", "agency", "center", "centre", "market", "bazaar",
    "mall", "supermarket", "garage", "workshop", "studio", "gym", "club", "bar", "office"})
#: Words before which an unknown word is a place ("urus-martan district").
PLACE_AFTER = frozenset({
    "village", "aul", "town", "city", "district", "region", "oblast", "raion", "rayon",
    "valley", "gorge", "camp", "street", "st", "road", "rd", "lane", "square", "sq", "avenue",
    "ave", "boulevard", "blvd", "prospect", "prospekt", "alley", "highway", "embankment",
    "settlement", "area", "mahalla", "mahallisi", "kebele", "colonia",
    "hamlet", "neighbourhood", "neighborhood", "quarter", "market", "bazaar", "school",
    "hospital", "prison", "checkpoint", "station", "mosque", "church", "river", "mountain",
    "mountains", "people", "men", "man", "guy", "guys", "folk"})
#: Peoples, languages and religious communities that statements name ("a Yazidi woman", "he
#: spoke Kurmanji", "the Alawite quarter"), and the demonyms that do not follow from a
#: country's name by a regular ending ("German", "Thai", "Dutch"): what one
#: belongs to, no one's name. Words that are as often first names ("Karen", "Shan", "Roma")
#: are left out, and so are the communities that are as often surnames ("Ahmadi", "Pathan",
#: "Baloch": their plurals stay): those stay judged as names. Movements, ideologies and
#: armed groups named as one people ("the Taliban", "Houthi fighters", "Islamists") are
#: public actors, what one belongs to or fights, and are here too.
PEOPLES = frozenset("""
german germans thai thais swiss dutch french british welsh greek greeks czech czechs slovak
slovaks swazi lao croat croats serb serbs bosniak bosniaks turk turks arab arabs
uyghur uyghurs uighur uighurs rohingya rohingyas rakhine kachin kayin karenni
chechen chechens ingush avar avars dargin lezgin lezgins kumyk kumyks circassian circassians
adyghe kabardian balkar karachai ossetian ossetians tatar tatars bashkir chuvash yakut buryat
kalmyk kazakh kazakhs kyrgyz kirghiz tajik tajiks turkmen uzbek uzbeks karakalpak pashtun
pashtuns pathans hazara hazaras baluch balochi sindhi punjabi pashto dari farsi
kurd kurds kurmanji sorani zaza yazidi yazidis yezidi ezidi druze alawite alawites assyrian
assyrians chaldean syriac maronite copt copts coptic bedouin amazigh berber kabyle tuareg
tigrayan tigrayans tigrinya amhara amharic oromo oromos afar somali somalis eritrean nubian
darfuri masalit zaghawa dinka nuer shilluk acholi tutsi hutu banyamulenge hausa fulani fula
igbo yoruba ijaw kanuri akan wolof mandinka bambara tamil tamils sinhalese sinhala
nahuatl quechua aymara zapotec mixtec garifuna miskito wayuu mapuche guarani luganda baganda
swahili lingala kinyarwanda kirundi ndebele xhosa zulu shona maasai kikuyu kalenjin kashmiri
tharu papuan patani malay
telugu kannada malayalam marathi gujarati bengali assamese manipuri meitei mizo kuki dalit
dalits adivasi adivasis hmong khmer montagnard tibetan tibetans mongol mongols romani sinti
gypsy gypsies lemko rusyn hutsul tagalog cebuano ilocano visayan filipino filipina filipinos
sunni sunnis shia shias shiite shiites ismaili ismailis ahmadis ahmadiyya bahai
sufi sufis salafi salafis wahhabi zoroastrian yarsan alevi alevis sikh sikhs hindu
hindus buddhist buddhists christians catholic catholics protestant protestants
orthodox evangelical pentecostal mormon mormons jew jews jewish muslim muslims atheist
european europeans african africans asian asians latino latinos latina latinas latinx
hispanic hispanics caucasian slavic nordic scandinavian balkan anglophone anglophones
francophone francophones navajo cherokee lakota inuit maori aboriginal rastafarian
rastafarians mandaean mandaeans shabak yarsani kakai k'iche q'eqchi kaqchikel tzotzil tzeltal
mixe otomi yanomami quilombola quilombolas afro-colombian afro-colombians afro-brazilian
afro-descendant afro-descendants ogoni tiv berom bamileke
islamist islamists jihadist jihadists salafist salafists nazis fascist fascists taliban
mujahideen mujahedin mujahidin peshmerga houthi houthis janjaweed interahamwe kadyrovtsy
kadyrovets bolshevik bolsheviks
""".split())
