"""What the customs annexes do not say, written once, each fact with its source.

Why apart: EU membership, the partner codes that are no foreign country, the
A38 and A129 aggregation rules of INSEE's NA 2008, how a customs department
code becomes the warehouse's, and INSEE's name types are facts a reviewer
checks against their sources; ``builders`` applies them to the annexes.
"""

from __future__ import annotations

# ----------------------------------------------------------------- countries

# The 27 member states of the European Union since 1 February 2020 (the United
# Kingdom left on 31 January 2020). France is one of them.
EU27: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

# Partner codes of Libelle_PAYS.txt that name no foreign partner territory
# (country_group 'special'); every other code is a 'country', historical
# groupings of territories included (XA Océanie américaine, XU UEBL...),
# because trade with them was trade with real places abroad.
SPECIAL_COUNTRIES: dict[str, str] = {
    # the customs' technical codes
    "QP": "high seas",
    "QQ": "automatic corrections",
    "QR": "ship and aircraft stores and bunkering, intra-EU trade",
    "QS": "ship and aircraft stores and bunkering, trade with third countries",
    "QT": "stores (until 2000)",
    "QU": "countries and territories not determined",
    "QV": "countries not determined, intra-EU trade (until 2011)",
    "QW": "countries not determined, trade with third countries (until 2011)",
    "QX": "countries not specified for commercial or military reasons",
    "QY": "countries not determined, intra-EU (Eurostat, until 2009)",
    "QZ": "countries not determined, extra-EU (Eurostat, until 2009)",
    # an aggregate, not a partner
    "EU": "the European Union as a whole",
    # France itself: French goods re-imported as they were exported
    "FR": "French goods returned",
    # The overseas departments are inside France's statistical territory (since
    # 1997; Mayotte since it became a department): the regional file reports
    # them as departments 9A-9E, and trade between French territories is not
    # foreign trade, so as partner codes they are not foreign countries.
    "GP": "Guadeloupe, a French department",
    "MQ": "Martinique, a French department",
    "GF": "Guyane, a French department",
    "RE": "La Réunion, a French department",
    "YT": "Mayotte, a French department",
}

# Which side of the EU27 / extra-EU split each code counts on (is_intra_eu),
# besides the 26 other member states. The codes of intra-EU trade whose
# partner is not named (stores and bunkering QR, not determined QV and QY,
# the Union as a whole EU) are trade with the Union; France itself (goods
# returned) and its overseas departments lie inside it. Every other special
# code (not determined QU, extra-EU QS, QW, QZ, high seas QP, corrections
# QQ, stores QT) counts outside: the customs tie it to no member state.
INTRA_EU_SPECIAL: frozenset[str] = frozenset(
    {"QR", "QV", "QY", "EU", "FR", "GP", "MQ", "GF", "RE", "YT"}
)

# ------------------------------------------------------------------ products

# A38 division of each CPF/NAF division (two digits), INSEE's NA 2008: the
# A38 level groups whole divisions, so an A129 code (section letter, division,
# letter) belongs to the A38 division of its two digits. Rows: first division,
# last division, A38 code.
A38_DIVISION_RANGES: tuple[tuple[int, int, str], ...] = (
    (1, 3, "AZ"), (5, 9, "BZ"), (10, 12, "CA"), (13, 15, "CB"), (16, 18, "CC"),
    (19, 19, "CD"), (20, 20, "CE"), (21, 21, "CF"), (22, 23, "CG"), (24, 25, "CH"),
    (26, 26, "CI"), (27, 27, "CJ"), (28, 28, "CK"), (29, 30, "CL"), (31, 33, "CM"),
    (35, 35, "DZ"), (36, 39, "EZ"), (41, 43, "FZ"), (45, 47, "GZ"), (49, 53, "HZ"),
    (55, 56, "IZ"), (58, 60, "JA"), (61, 61, "JB"), (62, 63, "JC"), (64, 66, "KZ"),
    (68, 68, "LZ"), (69, 71, "MA"), (72, 72, "MB"), (73, 75, "MC"), (77, 82, "NZ"),
    (84, 84, "OZ"), (85, 85, "PZ"), (86, 86, "QA"), (87, 88, "QB"), (90, 93, "RZ"),
    (94, 96, "SZ"), (97, 98, "TZ"), (99, 99, "UZ"),
)  # fmt: skip

# A129 code of each CPF group (three digits) in the divisions NA 2008 splits
# into several A129 codes. This is our transcription of INSEE's NA 2008 A129
# definitions (CPF rev. 2.1 groups); real data rows carry their own A129 code,
# so the table only labels the CPF4 seed and drives the synthetic sample.
# Divisions not listed here have one A129 code (suffix Z), taken from the annex.
# C25D (forging, metal treatment, machining: groups 25.5 and 25.6) is not in
# the customs annex: those are services, not goods, and their CPF4 codes keep
# no A129 code in the seed.
A129_BY_CPF_GROUP: dict[str, str] = {
    "101": "C10A", "102": "C10B", "103": "C10C", "104": "C10D", "105": "C10E",
    "106": "C10F", "107": "C10G", "108": "C10H", "109": "C10K",
    "171": "C17A", "172": "C17B",
    "201": "C20A", "204": "C20B", "202": "C20C", "203": "C20C", "205": "C20C", "206": "C20C",
    "221": "C22A", "222": "C22B",
    "231": "C23A", "232": "C23B", "233": "C23B", "234": "C23B", "235": "C23B", "236": "C23B",
    "237": "C23B", "239": "C23B",
    "241": "C24A", "242": "C24A", "243": "C24A", "244": "C24B", "245": "C24C",
    "251": "C25A", "252": "C25B", "253": "C25B", "254": "C25C", "255": "C25D", "256": "C25D",
    "257": "C25E", "259": "C25E",
    "261": "C26A", "262": "C26B", "263": "C26C", "264": "C26D", "265": "C26E", "266": "C26F",
    "267": "C26G", "268": "C26G",
    "271": "C27B", "272": "C27B", "273": "C27B", "274": "C27B", "275": "C27A", "279": "C27B",
    "281": "C28A", "282": "C28A", "283": "C28B", "284": "C28C", "289": "C28D",
    "291": "C29A", "292": "C29A", "293": "C29B",
    "301": "C30A", "302": "C30B", "303": "C30C", "304": "C30D", "309": "C30E",
    "321": "C32A", "322": "C32A", "323": "C32C", "324": "C32C", "325": "C32B", "329": "C32C",
    "351": "D35A", "352": "D35B", "353": "D35B",
}  # fmt: skip

# --------------------------------------------------------------- departments

# Warehouse department code of each customs department code that differs from
# it. The regional file and Departement_region.txt write the overseas
# departments 9A-9E (DGDDI, "Description des jeux de données", 09/05/2022);
# the warehouse uses their INSEE codes. Every other customs code is the
# warehouse code as it is: INSEE codes, Corsica as one department 20 (the
# customs do not split 2A/2B), and 99 for the Principality of Monaco. This is
# the only place the correspondence is written.
CUSTOMS_TO_WAREHOUSE_DEPARTMENT: dict[str, str] = {
    "9A": "971",  # Guadeloupe
    "9B": "972",  # Martinique
    "9C": "973",  # Guyane
    "9D": "974",  # La Réunion
    "9E": "976",  # Mayotte
}

# Departments of the customs annex that INSEE's department list does not hold
# as such: name, INSEE region, whether it is a French department. Corsica is
# one department in the customs files (INSEE region 94, Corse). Monaco is no
# French department, but it lies inside France's statistical territory and the
# customs count it with Provence-Alpes-Côte d'Azur (INSEE region 93).
NON_INSEE_DEPARTMENTS: dict[str, tuple[str, str, bool]] = {
    "20": ("Corse", "94", True),
    "99": ("Principauté de Monaco", "93", False),
}
#: INSEE's two Corsican departments, which the customs publish as one (20).
CORSICA_INSEE = ("2A", "2B")

# ---------------------------------------------------------------- name types

#: INSEE's TNCC codes ("type de nom en clair"): 0 and 1 no article (before a
#: consonant, before a vowel), 2 le, 3 la, 4 les, 5 l', 6 aux, 7 las, 8 los.
#: The article forms of each code are the seed name_articles.csv.
NAME_TYPES = range(9)

# Departments of the customs files that the COG does not list, and their name
# type. Corsica as one (20, "Corse") is named like INSEE's region 94, same name
# and same territory: it takes that region's type from the COG (0: "de Corse",
# "en Corse"), not that of 2A/2B (3). Monaco is no French territory; its name
# "Principauté de Monaco" takes "la" (3: "de la Principauté de Monaco").
DEPARTMENT_NAME_TYPE_OF_REGION: dict[str, str] = {"20": "94"}
NON_COG_NAME_TYPES: dict[str, int] = {"99": 3}
