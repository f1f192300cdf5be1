"""Invented Dutch texts for the synthetic demo editions: themes, items, institutions, domains.

Every item text here is made up for the demo; the real JOB-monitor questionnaire may not be
copied (DESIGN.md, rule 8). The same goes for the institution names: none is a real school.

Items are listed per theme for the 2026 edition. Items after the `NATIONAL` marker appear only in
the national scale. The fourth field says where an item came from in 2024:
`None` new in 2026; `"="` same id and wording; `"XYZ01"` a different 2024 id, same wording;
`"~="` / `"~XYZ01"` asked in 2024 with other answer options (`OLD_VERSIONS`), not comparable.
The 2024 questionnaire is what 2026 maps to plus `ITEMS_2024_ONLY`; the 2022 questionnaire is
derived from it the same way (`PREVIOUS_2022`, `OLD_VERSIONS_2022`, `ITEMS_2022_ONLY`).
"""

from __future__ import annotations

S5, YN, MK = "scale5", "yesno", "mark"
NATIONAL = "--national--"  # marker: the items below it are only asked in the national scale
# Questions where a LOWER share is better news, and questions without a good or bad answer; every
# other question is higher-is-better. Keyed by the id in an item's latest edition; its
# predecessors inherit it.
LOWER_BETTER = ("WAG03", "LMT05", "SOC03", "POS02", "GLD02", "HUI03", "REI02")
NEUTRAL = ("HUI01", "DST03", "BPV52", "GLD51", "AFO04")

# (id, name, description, kind in 2022, 2024 and 2026); a kind of None = not in that edition.
THEMES = (
    ("begeleiding", "Begeleiding en ondersteuning",
     "Hoe studenten de begeleiding door hun studieloopbaanbegeleider en de extra ondersteuning "
     "bij leren, persoonlijke problemen of een beperking ervaren.",
     "jaarlijks", "jaarlijks", "jaarlijks"),
    ("algemene_tevredenheid", "Algemene tevredenheid",
     "Hoe tevreden studenten in het algemeen zijn over hun opleiding en hun school, met de "
     "rapportcijfers die zij daarvoor geven.", "jaarlijks", "jaarlijks", "jaarlijks"),
    ("afsluiting", "Afsluiting",
     "Of studenten hun opleiding en school zouden aanraden aan anderen en of zij opnieuw "
     "dezelfde keuze zouden maken.", "jaarlijks", "jaarlijks", "jaarlijks"),
    ("werkagenda", "Werkagenda",
     "Onderwerpen uit de Werkagenda mbo: gelijke kansen, je welkom voelen op school en "
     "voorbereid worden op je plek in de samenleving.", None, None, "jaarlijks"),
    ("lessen", "Lessen",
     "Hoe studenten de lessen en hun docenten ervaren: de uitleg, de afwisseling, de "
     "aansluiting op het beroep en de sfeer in de klas.",
     "tweejaarlijks", "tweejaarlijks", "tweejaarlijks"),
    ("lesmateriaal_toetsen", "Lesmateriaal en toetsen",
     "Of boeken, digitale leermiddelen en toetsen passen bij wat studenten moeten leren, en of "
     "toetsen duidelijk en eerlijk zijn.", None, None, "tweejaarlijks"),
    ("bpv", "BPV/stage en leerwerkplek",
     "Hoe studenten de beroepspraktijkvorming ervaren: het vinden van een stage- of "
     "leerwerkplek, wat ze daar leren en de begeleiding vanuit school en bedrijf.",
     "tweejaarlijks", "tweejaarlijks", "tweejaarlijks"),
    ("medezeggenschap", "Medezeggenschap",
     "Of studenten weten hoe ze kunnen meepraten over hun opleiding en school, en of er iets "
     "met hun mening gebeurt.", None, None, "tweejaarlijks"),
    ("sfeer_veiligheid", "Sfeer en veiligheid",
     "Hoe studenten de sfeer op school ervaren en of zij zich er veilig voelen.",
     "tweejaarlijks", "tweejaarlijks", None),
    ("informatie", "Informatie en communicatie",
     "Of studenten op tijd en duidelijk worden geïnformeerd over roosters, wijzigingen, "
     "examens en regels.", None, "tweejaarlijks", None),
    ("gebouw", "Gebouw en voorzieningen",
     "Hoe studenten het schoolgebouw, de kantine, de studieplekken en andere voorzieningen "
     "waarderen.", None, "tweejaarlijks", None),
    ("schoolorganisatie", "Schoolorganisatie en voorzieningen",
     "Hoe studenten de organisatie van hun school ervaren: informatie over roosters en regels, "
     "het gebouw en de voorzieningen.", "tweejaarlijks", None, None),
    ("loopbaan", "Loopbaan en toekomst",
     "Of studenten zich goed voorbereid voelen op hun toekomst: werk, een vervolgopleiding en "
     "de keuzes die daarbij horen.", "tweejaarlijks", "tweejaarlijks", None),
    ("sociale_veiligheid", "Sociale veiligheid",
     "Of studenten zich veilig voelen op school en op stage, en of ze weten waar ze terechtkunnen "
     "bij pesten, intimidatie of discriminatie.", None, None, "module"),
    ("positie_mbo_studenten", "Positie van mbo-studenten",
     "Hoe studenten de waardering voor het mbo ervaren, op school, bij werkgevers en in de "
     "samenleving.", None, None, "module"),
    ("studentparticipatie", "Studentparticipatie",
     "Of studenten actief meedoen aan activiteiten en verbeteringen op school en of de school "
     "dat ondersteunt.", None, None, "module"),
    ("geldzaken", "Geldzaken",
     "Of studenten rondkomen, hoe ze de kosten van hun opleiding betalen en of ze weten waar "
     "ze hulp krijgen bij geldzorgen.", "module", "module", "module"),
    ("studentenhuisvesting", "Studentenhuisvesting",
     "Hoe studenten wonen en of hun woonsituatie hun opleiding makkelijker of moeilijker "
     "maakt.", "module", "module", "module"),
    ("digitalisering", "Digitalisering",
     "Hoe studenten digitale middelen, online lessen en AI-toepassingen in hun opleiding "
     "ervaren.", None, "module", "module"),
    ("afstandsonderwijs", "Onderwijs op afstand",
     "Hoe studenten online lessen en het leren op afstand ervaren, en of zij thuis de middelen "
     "hebben om mee te doen.", "module", None, None),
    ("doorstroom", "Doorstroom",
     "Of studenten zich goed voorbereid voelen op een vervolgopleiding of op werk na het mbo.",
     None, None, "module"),
    ("reisafstand", "Reisafstand",
     "Hoe studenten naar school en stage reizen en wat de reistijd en reiskosten betekenen "
     "voor hun opleiding.", None, None, "module"),
    ("examens", "Examens",
     "Of studenten goed worden geïnformeerd over hun examens en de examens eerlijk en goed "
     "georganiseerd vinden.", None, None, "module"),
    ("onderwijstijd_kwaliteit", "Onderwijstijd en -kwaliteit",
     "Of studenten genoeg les en begeleiding krijgen en of uitgevallen lessen goed worden "
     "opgevangen.", None, None, "module"),
)

ITEMS_2026: dict[str, list] = {
    "begeleiding": [
        ("BEG01", S5, "Ik weet bij wie ik terechtkan als ik vastloop in mijn opleiding.", "="),
        ("BEG02", S5, "Mijn studieloopbaanbegeleider neemt genoeg tijd voor mij.", "="),
        ("BEG03", S5, "Ik krijg hulp als ik moeite heb met de lesstof.", "="),
        ("BEG04", S5, "Op school wordt goed gereageerd als het thuis of privé niet goed gaat.", "~="),
        ("BEG05", YN, "Heb je het afgelopen jaar een gesprek gehad over hoe het met je gaat?", "="),
        ("BEG06", S5, "Als ik extra ondersteuning nodig heb, bijvoorbeeld door dyslexie of een "
         "beperking, dan krijg ik die ook.", None),
        NATIONAL,
        ("BEG07", S5, "Mijn begeleider helpt me om mijn studievoortgang bij te houden.", "="),
        ("BEG08", S5, "Ik voel me serieus genomen door mijn studieloopbaanbegeleider.", "="),
        ("BEG09", S5, "De school let goed op studenten die dreigen uit te vallen.", "BEG21"),
        ("BEG10", S5, "Ik weet wat ik kan doen als ik van opleiding wil wisselen.", None),
        ("BEG11", S5, "Ik kan met mijn begeleider praten over wat ik na mijn opleiding wil gaan "
         "doen.", "="),
        ("BEG12", YN, "Heb je op school extra ondersteuning gekregen, bijvoorbeeld bij taal, "
         "rekenen of plannen?", "="),
    ],
    "algemene_tevredenheid": [
        ("ALG01", MK, "Welk rapportcijfer geef je je opleiding?", "="),
        ("ALG02", MK, "Welk rapportcijfer geef je je school?", "="),
        ("ALG03", S5, "Ik ben tevreden over mijn opleiding.", "="),
        ("ALG04", S5, "Ik ga met plezier naar school.", "="),
        ("ALG05", S5, "Mijn opleiding is zoals ik had verwacht toen ik begon.", "="),
        NATIONAL,
        ("ALG06", S5, "Ik ben tevreden over de school als geheel.", "="),
        ("ALG07", S5, "Ik leer veel in mijn opleiding.", "ALG21"),
        ("ALG08", S5, "Mijn opleiding daagt me genoeg uit.", None),
        ("ALG09", S5, "Ik ben trots op de opleiding die ik doe.", None),
    ],
    "afsluiting": [
        ("AFS01", YN, "Zou je je opleiding aanraden aan vrienden of familie?", "="),
        ("AFS02", YN, "Zou je opnieuw voor deze school kiezen?", "="),
        ("AFS03", YN, "Zou je opnieuw voor dezelfde opleiding kiezen?", "="),
        NATIONAL,
        ("AFS04", S5, "Ik ben van plan om mijn opleiding af te maken.", "="),
        ("AFS05", S5, "Deze vragenlijst ging over onderwerpen die ik belangrijk vind.", None),
        ("AFS06", YN, "Heb je het afgelopen jaar overwogen om met je opleiding te stoppen?", "~="),
    ],
    "werkagenda": [
        ("WAG01", S5, "Op school word ik gelijk behandeld, wat mijn achtergrond ook is.", "SFV04"),
        ("WAG02", S5, "Ik voel me welkom op school.", None),
        ("WAG03", YN, "Ben je het afgelopen jaar op school gediscrimineerd?", None),
        ("WAG04", S5, "Mijn opleiding bereidt me goed voor op mijn rol in de samenleving.", None),
        ("WAG05", S5, "Ik krijg op school dezelfde kansen als andere studenten.", None),
        NATIONAL,
        ("WAG06", YN, "Had je bij het zoeken naar een stage het gevoel dat je werd afgewezen "
         "vanwege je achtergrond?", None),
        ("WAG07", S5, "Op school is aandacht voor een gezonde leefstijl.", None),
        ("WAG08", S5, "Ik weet waar ik terechtkan als ik niet lekker in mijn vel zit.", "BEG22"),
        ("WAG09", S5, "Docenten grijpen in als iemand in de klas wordt buitengesloten.", "SFV07"),
        ("WAG10", S5, "Op school leer ik over mijn rechten en plichten als werknemer.", "LPB06"),
    ],
    "lessen": [
        ("LES01", S5, "Mijn docenten leggen de lesstof duidelijk uit.", "="),
        ("LES02", S5, "De lessen zijn afwisselend.", "="),
        ("LES03", S5, "Mijn docenten weten wat er in het beroep speelt.", "="),
        ("LES04", S5, "In de klas is het rustig genoeg om te kunnen werken.", "="),
        ("LES05", S5, "Ik krijg feedback waar ik echt iets aan heb.", "~="),
        ("LES06", S5, "Docenten houden rekening met verschillen tussen studenten.", None),
        NATIONAL,
        ("LES07", S5, "Docenten beginnen en eindigen hun lessen op tijd.", "="),
        ("LES08", S5, "Ik kan mijn docenten buiten de les makkelijk bereiken.", "="),
        ("LES09", S5, "Wat ik in de lessen leer, kan ik gebruiken in de praktijk.", "LES21"),
        ("LES10", S5, "Mijn docenten motiveren me om mijn best te doen.", "="),
        ("LES11", S5, "Ik durf in de les vragen te stellen.", None),
        ("LES12", YN, "Werk je weleens samen met studenten van andere opleidingen?", None),
    ],
    "lesmateriaal_toetsen": [
        ("LMT01", S5, "Het lesmateriaal past bij wat ik moet leren.", "LES22"),
        ("LMT02", S5, "De digitale leeromgeving is overzichtelijk.", None),
        ("LMT03", S5, "Toetsen gaan over de stof die in de lessen is behandeld.", "LES23"),
        ("LMT04", S5, "Ik krijg mijn toetsresultaten op tijd terug.", None),
        ("LMT05", YN, "Heb je dit schooljaar lesmateriaal moeten kopen dat je nauwelijks "
         "gebruikte?", None),
        NATIONAL,
        ("LMT06", S5, "Het lesmateriaal is actueel.", "LES24"),
        ("LMT07", S5, "Ik weet vooraf hoe een toets wordt beoordeeld.", None),
        ("LMT08", S5, "De toetsen zijn goed over het schooljaar verdeeld.", "INF06"),
        ("LMT09", S5, "Als ik een toets heb gemist, kan ik die makkelijk inhalen.", None),
        ("LMT10", S5, "Ik vind de beoordeling van mijn opdrachten eerlijk.", "LES25"),
    ],
    "bpv": [
        ("BPV01", S5, "Ik heb zonder veel moeite een stage- of leerwerkplek gevonden.", "="),
        ("BPV02", S5, "Op mijn stage- of leerwerkplek leer ik veel.", "="),
        ("BPV03", S5, "Mijn begeleider in het bedrijf heeft genoeg tijd voor mij.", "="),
        ("BPV04", S5, "De school houdt tijdens mijn stage goed contact met mij.", "="),
        ("BPV05", S5, "Ik voel me veilig op mijn stage- of leerwerkplek.", "~="),
        ("BPV06", S5, "Wat ik op school leer, sluit aan bij mijn werk op stage.", None),
        NATIONAL,
        ("BPV07", MK, "Welk rapportcijfer geef je je stage- of leerwerkplek?", "="),
        ("BPV08", S5, "Ik krijg op mijn stage taken die bij mijn opleiding passen.", "="),
        ("BPV09", S5, "Ik weet wat ik moet doen als er problemen zijn op mijn stage.", "BPV21"),
        ("BPV10", YN, "Krijg je een stagevergoeding?", "="),
        ("BPV11", S5, "Mijn stagebegeleider van school weet wat ik op stage doe.", "="),
        ("BPV12", S5, "De school helpt goed bij het zoeken naar een stageplek.", None),
    ],
    "medezeggenschap": [
        ("MZS01", S5, "Ik weet wat de studentenraad op mijn school doet.", "INF01"),
        ("MZS02", S5, "Mijn school vraagt studenten naar hun mening over het onderwijs.", None),
        ("MZS03", S5, "Er wordt iets gedaan met de mening van studenten.", None),
        ("MZS04", YN, "Weet je hoe je op school een klacht kunt indienen?", "INF04"),
        NATIONAL,
        ("MZS05", S5, "Ik hoor terug wat er is gedaan met de uitkomsten van enquêtes onder "
         "studenten.", None),
        ("MZS06", YN, "Zit je in een studentenraad, studentenpanel of klassenvertegenwoordiging?",
         None),
        ("MZS07", S5, "Ik weet hoe ik de studentenraad kan bereiken.", None),
        ("MZS08", S5, "Studenten mogen meepraten over de inrichting van hun opleiding.", "INF05"),
    ],
    "sociale_veiligheid": [
        ("SOC01", S5, "Ik voel me veilig op school.", "SFV01"),
        ("SOC02", S5, "Ik weet bij wie ik terechtkan als ik word gepest of lastiggevallen.", "SFV02"),
        ("SOC03", YN, "Ben je het afgelopen jaar op school gepest?", "SFV03"),
        NATIONAL,
        ("SOC04", S5, "De school treedt op tegen pesten.", "SFV05"),
        ("SOC05", YN, "Heb je het afgelopen jaar op school of stage ongewenst seksueel gedrag "
         "meegemaakt?", None),
        ("SOC06", S5, "Ik voel me veilig in en rond het schoolgebouw als het donker is.", None),
        ("SOC07", S5, "Ik durf op school te zeggen wat ik denk.", "SFV06"),
        ("SOC08", S5, "Als ik een melding doe, wordt daar iets mee gedaan.", None),
    ],
    "positie_mbo_studenten": [
        ("POS01", S5, "Ik voel me als mbo-student serieus genomen in de samenleving.", None),
        ("POS02", YN, "Heb je het afgelopen jaar meegemaakt dat iemand neerkeek op het mbo?", None),
        ("POS03", S5, "Mbo-studenten krijgen dezelfde voordelen als hbo- en wo-studenten.", None),
        NATIONAL,
        ("POS04", S5, "Ik noem mezelf student als iemand vraagt wat ik doe.", None),
        ("POS05", S5, "Mijn omgeving heeft waardering voor mijn opleiding.", None),
        ("POS06", S5, "Werkgevers waar ik wil werken waarderen mijn mbo-diploma.", None),
        ("POS07", YN, "Heb je een korting of voorziening gemist omdat die alleen voor hbo- of "
         "wo-studenten was?", None),
    ],
    "studentparticipatie": [
        ("STP01", S5, "Ik doe mee aan activiteiten op school buiten de lessen.", None),
        ("STP02", S5, "Ik weet hoe ik een idee voor de school kan inbrengen.", None),
        ("STP03", YN, "Heb je dit schooljaar meegeholpen aan een evenement of project van "
         "studenten?", None),
        NATIONAL,
        ("STP04", S5, "De school ondersteunt studenten die zelf iets willen organiseren.", None),
        ("STP05", S5, "Ik voel me betrokken bij mijn school.", "SFV08"),
        ("STP06", S5, "Studenten kunnen op school een eigen vereniging of club beginnen.", None),
        ("STP07", S5, "Mijn school laat zien dat ze trots is op wat studenten bereiken.", None),
    ],
    "geldzaken": [
        ("GLD01", S5, "Ik kan de kosten van mijn opleiding goed betalen.", "="),
        ("GLD02", YN, "Heb je het afgelopen jaar geldzorgen gehad?", "="),
        ("GLD03", S5, "Ik weet waar ik op school terechtkan met vragen over geld.", "="),
        NATIONAL,
        ("GLD04", YN, "Heb je naast je opleiding een bijbaan?", "="),
        ("GLD05", S5, "Mijn bijbaan gaat goed samen met mijn opleiding.", "="),
        ("GLD06", S5, "Ik weet welke toelagen en tegemoetkomingen ik kan aanvragen.", "GLD21"),
        ("GLD07", YN, "Had je het afgelopen jaar een schuld die je niet op tijd kon afbetalen?",
         None),
        ("GLD08", S5, "De school is duidelijk over wat ik zelf moet betalen.", "~GLD22"),
    ],
    "studentenhuisvesting": [
        ("HUI01", YN, "Woon je bij je ouders of verzorgers?", "="),
        ("HUI02", S5, "Ik ben tevreden over de plek waar ik woon.", "="),
        ("HUI03", S5, "Door mijn woonsituatie kan ik moeilijk goed studeren.", None),
        NATIONAL,
        ("HUI04", S5, "Ik heb thuis een rustige plek om aan school te werken.", "="),
        ("HUI05", YN, "Ben je op dit moment op zoek naar woonruimte?", "="),
        ("HUI06", S5, "Ik kan de huur van mijn woonruimte goed betalen.", "HUI21"),
        ("HUI07", S5, "Mijn school helpt bij vragen over woonruimte.", None),
    ],
    "digitalisering": [
        ("DIG01", S5, "Ik heb de apparatuur die ik voor mijn opleiding nodig heb.", "="),
        ("DIG02", S5, "Het wifi-netwerk op school werkt goed.", "="),
        ("DIG03", S5, "Mijn docenten gebruiken digitale middelen op een zinvolle manier.", "~="),
        NATIONAL,
        ("DIG04", S5, "Op school is duidelijk wat wel en niet mag met AI-programma's.", None),
        ("DIG05", YN, "Heb je dit schooljaar AI gebruikt voor een schoolopdracht?", None),
        ("DIG06", S5, "Online lessen zijn voor mij net zo leerzaam als lessen op school.", "="),
        ("DIG07", S5, "Ik leer omgaan met de digitale middelen uit mijn beroep.", "="),
        ("DIG08", S5, "Ik weet hoe ik online veilig omga met mijn gegevens.", "DIG21"),
    ],
    "doorstroom": [
        ("DST01", S5, "Mijn opleiding bereidt me goed voor op een vervolgopleiding.", "LPB01"),
        ("DST02", S5, "Ik weet wat ik na deze opleiding wil gaan doen.", "LPB02"),
        ("DST03", YN, "Ben je van plan om na deze opleiding verder te leren?", None),
        NATIONAL,
        ("DST04", S5, "Op school krijg ik goede informatie over vervolgopleidingen.", "LPB03"),
        ("DST05", S5, "Mijn opleiding bereidt me goed voor op werk.", "LPB04"),
        ("DST06", S5, "Ik heb kunnen kennismaken met een vervolgopleiding.", None),
        ("DST07", S5, "Ik heb er vertrouwen in dat ik na mijn diploma werk vind.", "LPB05"),
    ],
    "reisafstand": [
        ("REI01", S5, "Ik kan mijn school goed bereiken met het openbaar vervoer.", "GEB01"),
        ("REI02", YN, "Reis je langer dan een uur naar school (enkele reis)?", None),
        ("REI03", S5, "De reistijd naar mijn stage is goed te doen.", None),
        NATIONAL,
        ("REI04", S5, "Mijn lesrooster houdt rekening met mijn reistijd.", None),
        ("REI05", YN, "Kwam je het afgelopen jaar weleens te laat door vertraging onderweg?", None),
        ("REI06", S5, "De reiskosten naar school en stage kan ik goed betalen.", "GLD23"),
        ("REI07", S5, "Er is bij school genoeg plek om mijn fiets of scooter te stallen.", "GEB02"),
    ],
    "examens": [
        ("EXA01", S5, "Ik weet op tijd wanneer mijn examens zijn.", "INF03"),
        ("EXA02", S5, "Ik weet wat ik moet kunnen om mijn examen te halen.", None),
        ("EXA03", S5, "De examens zijn goed georganiseerd.", None),
        NATIONAL,
        ("EXA04", S5, "Ik vind de beoordeling van mijn examens eerlijk.", None),
        ("EXA05", S5, "Ik weet wat ik kan doen als ik het niet eens ben met een examenuitslag.",
         "INF07"),
        ("EXA06", YN, "Is dit schooljaar een examen van je verplaatst of uitgevallen?", None),
        ("EXA07", S5, "Ik voel me goed voorbereid op mijn examens.", None),
    ],
    "onderwijstijd_kwaliteit": [
        ("OTK01", S5, "Ik krijg genoeg lesuren om de stof onder de knie te krijgen.", "LES26"),
        ("OTK02", S5, "Als een les uitvalt, wordt die goed vervangen of ingehaald.", None),
        ("OTK03", S5, "Mijn rooster heeft weinig tussenuren.", None),
        NATIONAL,
        ("OTK04", YN, "Vallen er bij jouw opleiding vaak lessen uit?", None),
        ("OTK05", S5, "De tijd op school wordt goed benut.", None),
        ("OTK06", S5, "Ik krijg genoeg begeleiding bij zelfstudie.", None),
        ("OTK07", S5, "Ik weet ruim op tijd hoe mijn rooster eruitziet.", "INF02"),
    ],
}

# 2024 wording and answer scale of items marked "~" above (answer options changed since).
OLD_VERSIONS: dict[str, tuple[str, str]] = {
    "BEG04": (YN, "Heb je op school hulp gekregen bij problemen thuis of privé?"),
    "AFS06": (S5, "Ik denk er weleens over om met mijn opleiding te stoppen."),
    "LES05": (YN, "Krijg je feedback op je opdrachten?"),
    "BPV05": (YN, "Heb je je op je stage weleens onveilig gevoeld?"),
    "GLD22": (YN, "Wist je bij de start van je opleiding welke kosten je zelf moest betalen?"),
    "DIG03": (YN, "Gebruiken je docenten digitale middelen in de les?"),
}

# 2024 theme of a 2024 item, by the prefix of its id.
PREFIX_THEME_2024 = {
    "BEG": "begeleiding", "ALG": "algemene_tevredenheid", "AFS": "afsluiting", "LES": "lessen",
    "BPV": "bpv", "SFV": "sfeer_veiligheid", "INF": "informatie", "GEB": "gebouw",
    "LPB": "loopbaan", "GLD": "geldzaken", "HUI": "studentenhuisvesting", "DIG": "digitalisering",
}

# 2024 items that were dropped in 2026 (no 2026 item maps to them).
ITEMS_2024_ONLY: dict[str, list] = {
    "begeleiding": [
        ("BEG23", YN, "Heb je dit schooljaar een vaste studieloopbaanbegeleider?"),
        NATIONAL,
        ("BEG24", S5, "Mijn begeleider weet hoe het op mijn stage gaat."),
        ("BEG25", S5, "Mijn begeleider reageert snel op mijn berichten."),
        ("BEG26", S5, "Ik heb genoeg gesprekken met mijn begeleider."),
    ],
    "algemene_tevredenheid": [
        ("ALG22", S5, "Ik ben tevreden over de sfeer binnen mijn opleiding."),
        NATIONAL,
        ("ALG23", S5, "Mijn opleiding is goed georganiseerd."),
        ("ALG24", S5, "Ik vind mijn opleiding interessant."),
    ],
    "afsluiting": [
        NATIONAL,
        ("AFS21", YN, "Zou je deze school aanraden aan iemand die een andere opleiding wil doen?"),
    ],
    "lessen": [
        ("LES27", S5, "Docenten zijn goed voorbereid op hun lessen."),
        NATIONAL,
        ("LES28", S5, "In de lessen is genoeg aandacht voor Nederlands en rekenen."),
        ("LES29", S5, "Groepsopdrachten worden eerlijk beoordeeld."),
        ("LES30", S5, "Docenten gebruiken voorbeelden uit de praktijk."),
        ("LES31", S5, "Ik kan in mijn eigen tempo werken."),
    ],
    "bpv": [
        ("BPV22", S5, "De school bereidt me goed voor op mijn stage."),
        NATIONAL,
        ("BPV23", S5, "Ik krijg op mijn stage genoeg verantwoordelijkheid."),
        ("BPV24", YN, "Heb je je stageplek via school gevonden?"),
        ("BPV25", S5, "Ik krijg op mijn stage feedback op mijn werk."),
        ("BPV26", S5, "Mijn stagebedrijf houdt zich aan de afspraken in de praktijkovereenkomst."),
    ],
    "sfeer_veiligheid": [
        ("SFV09", S5, "De sfeer op school is goed."),
        ("SFV10", S5, "Ik heb ook contact met studenten buiten mijn eigen klas."),
        NATIONAL,
        ("SFV11", S5, "Studenten gaan respectvol met elkaar om."),
        ("SFV12", S5, "Medewerkers van de school gaan respectvol met studenten om."),
        ("SFV13", S5, "Ik heb op school vrienden gemaakt."),
        ("SFV14", S5, "Op school is aandacht voor studenten die zich eenzaam voelen."),
    ],
    "informatie": [
        ("INF08", S5, "Roosterwijzigingen worden op tijd doorgegeven."),
        ("INF09", S5, "De website en de app van school geven duidelijke informatie."),
        ("INF10", YN, "Weet je waar je het studentenstatuut kunt vinden?"),
        NATIONAL,
        ("INF11", S5, "Ik weet welke regels gelden als ik afwezig ben."),
        ("INF12", S5, "Berichten van school komen via één duidelijk kanaal."),
        ("INF13", S5, "Ik weet hoe mijn studievoortgang wordt bijgehouden."),
        ("INF14", S5, "Ik krijg op tijd bericht als een les uitvalt."),
    ],
    "gebouw": [
        ("GEB03", S5, "Het schoolgebouw is schoon en goed onderhouden."),
        ("GEB04", S5, "Er zijn genoeg plekken om zelfstandig te werken."),
        ("GEB05", S5, "Ik ben tevreden over het aanbod in de kantine."),
        ("GEB06", YN, "Zijn de toiletten op school meestal schoon?"),
        NATIONAL,
        ("GEB07", S5, "De praktijklokalen hebben goede en veilige apparatuur."),
        ("GEB08", S5, "Er is op school een rustige plek om pauze te houden."),
        ("GEB09", S5, "Het gebouw is goed toegankelijk voor studenten met een beperking."),
        ("GEB10", S5, "Er zijn genoeg computers beschikbaar om op te werken."),
        ("GEB11", S5, "De temperatuur in de lokalen is prettig."),
    ],
    "loopbaan": [
        ("LPB07", S5, "Ik heb op school geleerd hoe ik een sollicitatiebrief schrijf."),
        ("LPB08", S5, "Ik weet welke beroepen ik met mijn diploma kan uitoefenen."),
        ("LPB09", YN, "Heb je dit schooljaar een open dag of beroepenvoorlichting bezocht?"),
        NATIONAL,
        ("LPB10", S5, "Op school leer ik nadenken over wat ik goed kan en wat bij me past."),
        ("LPB11", S5, "Mijn opleiding biedt keuzedelen die bij mijn toekomstplannen passen."),
        ("LPB12", S5, "Ik heb een goed beeld van het werk in mijn beroep."),
        ("LPB13", YN, "Heb je een gesprek gehad over je keuze voor een vervolgopleiding?"),
    ],
    "geldzaken": [
        ("GLD24", S5, "Ik houd genoeg geld over voor mijn vrije tijd."),
    ],
    "studentenhuisvesting": [
        ("HUI22", S5, "Ik woon op een plek waar ik me thuis voel."),
        NATIONAL,
        ("HUI23", YN, "Woon je op een studentenkamer?"),
        ("HUI24", S5, "Mijn woonruimte is goed bereikbaar vanaf school."),
    ],
    "digitalisering": [
        ("DIG22", S5, "Ik kan op school een laptop lenen als dat nodig is."),
        NATIONAL,
        ("DIG23", S5, "De programma's die we gebruiken werken zonder problemen."),
    ],
}

# How each 2024 item was asked in 2022, keyed by the 2024 id; a 2024 item not named here was asked
# in 2022 with the same id and wording. Codes as in ITEMS_2026: None new in 2024; "XYZ41" another
# 2022 id, same wording; "~=" / "~XYZ41" other wording or answer options (`OLD_VERSIONS_2022`).
PREVIOUS_2022: dict[str, str | None] = {
    # new in 2024 (the digitalisering module replaced the 2022 module afstandsonderwijs)
    "BEG23": None, "LES27": None, "SFV10": None, "DIG02": None, "DIG03": None, "DIG22": None,
    "BEG25": None, "LES31": None, "INF12": None, "GEB10": None, "LPB11": None, "HUI24": None,
    "DIG07": None, "DIG21": None, "DIG23": None,
    # renumbered since 2022, same wording and answer options
    "ALG03": "ALG41", "LES03": "LES41", "BPV02": "BPV41", "SFV02": "SFV41", "GEB04": "GEB41",
    "LPB02": "LPB41", "DIG01": "AFO01", "BEG08": "BEG41", "INF11": "INF41",
    # asked in 2022 with other wording or answer options: not comparable
    "ALG05": "~=", "LES23": "~=", "BPV01": "~=", "SFV03": "~=", "INF04": "~=",
    "GLD03": "~GLD41", "DIG06": "~AFO02",
}

# 2022 wording and answer scale of the items marked "~" in PREVIOUS_2022, by 2022 id.
OLD_VERSIONS_2022: dict[str, tuple[str, str]] = {
    "ALG05": (YN, "Was je opleiding in het begin zoals je had verwacht?"),
    "LES23": (S5, "De toetsen sluiten aan op wat we in de les doen."),
    "BPV01": (YN, "Had je binnen een maand een stage- of leerwerkplek gevonden?"),
    "SFV03": (YN, "Ben je dit schooljaar op school of online gepest?"),
    "INF04": (S5, "Ik weet hoe ik op school een klacht kan indienen."),
    "GLD41": (S5, "De school helpt studenten die geldzorgen hebben."),
    "AFO02": (S5, "De online lessen tijdens de coronamaatregelen waren leerzaam."),
}

# 2022 theme of a 2022 item, by the prefix of its id. In 2022 the themes informatie and gebouw
# were one theme, schoolorganisatie; the 2022 module afstandsonderwijs (AFO) held what became
# part of the digitalisering module.
PREFIX_THEME_2022 = {
    **{prefix: theme for prefix, theme in PREFIX_THEME_2024.items() if prefix != "DIG"},
    "INF": "schoolorganisatie", "GEB": "schoolorganisatie", "AFO": "afstandsonderwijs",
}

# 2022 items that were dropped in 2024 (no 2024 item maps to them).
ITEMS_2022_ONLY: dict[str, list] = {
    "begeleiding": [
        ("BEG51", S5, "Mijn studieloopbaanbegeleider kent mij goed."),
        NATIONAL,
        ("BEG52", S5, "Ik kan mijn studieloopbaanbegeleider ook online spreken."),
    ],
    "algemene_tevredenheid": [
        ("ALG51", S5, "Ik heb het naar mijn zin in mijn klas."),
    ],
    "lessen": [
        ("LES51", S5, "Docenten zetten opdrachten op tijd klaar in de digitale leeromgeving."),
        NATIONAL,
        ("LES52", S5, "Ik krijg genoeg tijd om opdrachten in de les af te maken."),
        ("LES53", S5, "Docenten vertellen aan het begin van de les wat we gaan doen."),
    ],
    "bpv": [
        NATIONAL,
        ("BPV51", S5, "Voor mijn stage heb ik een goed kennismakingsgesprek gehad."),
        ("BPV52", YN, "Heb je een deel van je stage thuis gedaan?"),
    ],
    "sfeer_veiligheid": [
        NATIONAL,
        ("SFV51", S5, "Ik voel me thuis in mijn klas."),
    ],
    "schoolorganisatie": [
        ("INF51", S5, "Ik weet bij wie ik terechtkan met vragen over mijn rooster."),
        ("GEB51", S5, "Er zijn op school genoeg plekken om mijn laptop op te laden."),
        NATIONAL,
        ("INF52", S5, "Veranderingen in de schoolregels worden goed uitgelegd."),
        ("GEB52", S5, "De ventilatie in de lokalen is goed geregeld."),
    ],
    "loopbaan": [
        ("LPB51", YN, "Heb je dit schooljaar een beroepentest of loopbaantest gedaan?"),
        NATIONAL,
        ("LPB52", S5, "Ik weet hoe ik na mijn opleiding een baan kan vinden."),
    ],
    "geldzaken": [
        NATIONAL,
        ("GLD51", YN, "Moest je dit schooljaar zelf een laptop of tablet kopen voor school?"),
    ],
    "afstandsonderwijs": [
        ("AFO03", S5, "Ik kon thuis goed meedoen aan online lessen."),
        ("AFO04", YN, "Kreeg je dit schooljaar lessen die alleen online werden gegeven?"),
        NATIONAL,
        ("AFO05", S5, "Docenten waren tijdens online lessen goed bereikbaar voor vragen."),
        ("AFO06", S5, "Na een periode met online lessen kreeg ik genoeg hulp om achterstanden "
         "in te halen."),
    ],
}

# The 17 mbo education domains: (id, name, share of students, share BBL, share women).
DOMAINS = (
    ("D01", "Afbouw, hout en onderhoud", 2.0, 0.45, 0.08),
    ("D02", "Ambacht, laboratorium en gezondheidstechniek", 2.0, 0.30, 0.40),
    ("D03", "Bouw en infra", 4.0, 0.45, 0.06),
    ("D04", "Economie en administratie", 12.0, 0.10, 0.50),
    ("D05", "Entree", 3.0, 0.05, 0.40),
    ("D06", "Handel en ondernemerschap", 9.0, 0.15, 0.45),
    ("D07", "Horeca en bakkerij", 4.0, 0.20, 0.45),
    ("D08", "ICT en creatieve industrie", 7.0, 0.05, 0.12),
    ("D09", "Media en vormgeving", 4.0, 0.03, 0.50),
    ("D10", "Mobiliteit en voertuigen", 4.0, 0.30, 0.05),
    ("D11", "Techniek en procesindustrie", 9.0, 0.35, 0.10),
    ("D12", "Toerisme en recreatie", 2.0, 0.05, 0.60),
    ("D13", "Transport, scheepvaart en logistiek", 4.0, 0.30, 0.12),
    ("D14", "Uiterlijke verzorging", 3.0, 0.20, 0.92),
    ("D15", "Veiligheid en sport", 6.0, 0.05, 0.30),
    ("D16", "Voedsel, natuur en leefomgeving", 5.0, 0.20, 0.45),
    ("D17", "Zorg en welzijn", 19.0, 0.30, 0.85),
)

# Fictitious institutions of the demo scale: (name, place, relative size, domain ids).
DEMO_INSTITUTIONS = (
    ("ROC Lindeveld", "Amersfoort", 1.6,
     "D01 D02 D03 D04 D05 D06 D07 D08 D09 D10 D11 D12 D14 D15 D17"),
    ("Gildecollege Noordkwartier", "Alkmaar", 1.2, "D01 D03 D04 D05 D06 D07 D08 D10 D11 D15 D17"),
    ("Vakcollege Havenkant", "Vlissingen", 0.25, "D13"),
    ("Zorgacademie Maasdal", "Venlo", 0.4, "D05 D15 D17"),
    ("ROC Duinzoom", "Leiden", 0.9, "D04 D05 D06 D07 D08 D09 D12 D14 D15 D17"),
    ("Heidewaard College", "Apeldoorn", 0.35, "D02 D07 D16 D17"),
    ("Technisch College Beekzicht", "Enschede", 0.6, "D01 D02 D03 D08 D09 D10 D11 D13"),
    ("ROC Veenhorst", "Emmen", 0.8, "D01 D03 D04 D05 D06 D07 D10 D11 D12 D14 D15 D17"),
)

# Parts for the invented names of the national scale's further institutions.
NAME_STEMS = (
    "Eikenrode", "Wilgenhoven", "Hazelwaard", "Elzenkamp", "Berkendal", "Kreekzoom",
    "Vlietoord", "Zandhoeve", "Kleihoeve", "Lisdonk", "Moerveld", "Brakelwijde", "Heggerode",
    "Ravensloot", "Meerstrand", "Schelpenduin", "Dijkzicht", "Polderhaven", "Ooievaarsbrug",
    "Kievitsveld", "Reigerstein", "Valkenhorst", "Wadkant", "Zwanenwaard", "Lindeloop",
    "Essenhage", "Beukenstroom", "Klaverhof", "Korenmaat", "Vlasakker", "Vossenakker",
    "Mossendal", "Kwikstaart", "Zilverschoon", "Dotterbloem", "Lepelaarsweide", "Wulpenveld",
    "Kemphaanhof", "Plevierstrand", "Tureluurdijk", "Zeggeveld", "Biezenwaard", "Oeverzicht",
    "Kalkoven", "Turfhaven", "Leemkuil", "Grindweide", "Keienhof", "Distelrode", "Braamhorst",
    "Hulsthage", "Vlinderdal", "Sterrenkamp", "Zonnewijde",
)
NAME_FORMS = ("ROC {}", "{} College", "Vakschool {}", "Groencollege {}")
PLACES = (
    "Zwolle", "Groningen", "Leeuwarden", "Assen", "Deventer", "Arnhem", "Nijmegen", "Utrecht",
    "Haarlem", "Zaandam", "Hoorn", "Den Helder", "Lelystad", "Almere", "Hilversum", "Gouda",
    "Delft", "Dordrecht", "Breda", "Tilburg", "Eindhoven", "Helmond", "Roermond", "Maastricht",
    "Heerlen", "Sittard", "Middelburg", "Terneuzen", "Bergen op Zoom", "Roosendaal", "Oss",
    "'s-Hertogenbosch", "Ede", "Harderwijk", "Zutphen", "Doetinchem", "Hengelo", "Almelo",
    "Hoogeveen", "Meppel", "Sneek", "Drachten", "Heerenveen", "Purmerend", "Alphen aan den Rijn",
    "Zoetermeer", "Rotterdam", "Schiedam", "Amstelveen", "Amsterdam", "Den Haag", "Veenendaal",
)

# Analysis labels of two demo institutions (the private institution reports only), invented:
# per label its name and, per value, the share of students; I001's team lies within a location
# (team → location), as real teams do, so the reports' joint audit has something to check.
LABELS = {
    "I001": {"label_1": ("Locatie", {"Noordstad": 0.55, "Havenkwartier": 0.45}),
             "label_2": ("Team", {"Techniek": 0.35, "Zorg en welzijn": 0.4, "Economie": 0.25})},
    "I002": {"label_1": ("Locatie", {"Campus Oost": 0.5, "Campus West": 0.3, "Stadshart": 0.2}),
             "label_2": ("Opleidingsteam", {"Team Groen": 0.6, "Team Blauw": 0.4})},
}
# The optional report columns: BOL students mostly full-time, BBL part-time by nature; a
# programme is invented as its domain and level.
BOL_PART_TIME = 0.04
PROGRAMME = "{domain}, niveau {niveau}"
# I001 chose its standard breakdowns (the others get leerweg, niveau and voltijd/deeltijd).
LABEL_STANDARD = {"I001": ["leerweg", "niveau", "opleiding"]}
TEAM_LOCATION = {"Techniek": "Noordstad", "Zorg en welzijn": "Havenkwartier", "Economie": "Havenkwartier"}
