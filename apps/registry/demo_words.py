"""The words the demo MSMEs are made of (apps.registry.demo): each demo country's business names in its languages
and script, and the trades, each with its ISIC Rev.4 class and what a business of that trade holds.

A name is one of its trade's templates filled with a holder: "{} Bakery" with "Mama Wanjiku", "{} Kakanin" with
"Aling Nena's", "ورشة {} للنحاس" with "النيل". A holder is a brand word, a place (the business is then in that
place's region), an owner or a family name. Kenya's words are English and Swahili, the Philippines' English and
Filipino, written as they are (their Latin spelling gives the e-mail and domain name); Egypt's are Arabic, each with
the Latin spelling of its e-mail and domain name beside it. A country not listed here gets the plain English words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Text, or (text, its Latin spelling for an e-mail or domain name) where the text is not in Latin script.
Word = str | tuple[str, str]

# What a business of a trade holds (apps.registry.demo): a mark, and by profile its other rights.
MAKER = "maker"  # designs of its products
FOOD = "food"  # packaging designs, recipes kept secret
EATERY = "eatery"  # recipes kept secret, a menu
COSMETICS = "cosmetics"  # bottle designs, formulas kept secret
TECH = "tech"  # software (copyright)
CREATIVE = "creative"  # works (copyright)
SERVICE = "service"
RETAIL = "retail"
FARM = "farm"
INDUSTRY = "industry"


@dataclass(frozen=True)
class Trade:
    isic: str  # its ISIC Rev.4 class: the MSME's sector
    profile: str
    weight: int  # how common it is among the demo MSMEs
    nice: str  # the Nice classes of its marks
    personal: bool = False  # also named after its owner ("Mama Wanjiku", "Aling Nena's", "الحاج محمود")
    inventive: bool = False  # utility models and patents are plausible


TRADES: dict[str, Trade] = {
    # Food and drink
    "bakery": Trade("1071", FOOD, 8, "30", personal=True),
    "snacks": Trade("1079", FOOD, 5, "29, 30", personal=True),
    "coffee": Trade("1079", FOOD, 4, "30"),  # coffee and tea processing
    "chocolate": Trade("1073", FOOD, 1, "30"),
    "meat": Trade("1010", FOOD, 2, "29", personal=True),
    "fruit_processing": Trade("1030", FOOD, 3, "29"),
    "dairy": Trade("1050", FOOD, 3, "29", personal=True),
    "grain_mill": Trade("1061", FOOD, 2, "30"),
    "oil_press": Trade("1040", FOOD, 2, "29"),
    "drinks": Trade("1104", FOOD, 2, "32"),
    "restaurant": Trade("5610", EATERY, 7, "43", personal=True),
    "cafe": Trade("5630", EATERY, 2, "43", personal=True),
    # Makers
    "tailoring": Trade("1410", MAKER, 6, "25", personal=True),
    "home_textiles": Trade("1392", MAKER, 2, "24"),
    "cloth_weaving": Trade("1312", MAKER, 2, "24"),
    "carpets": Trade("1393", MAKER, 2, "27"),
    "basketry": Trade("1629", MAKER, 2, "21, 27", personal=True),
    "leather": Trade("1512", MAKER, 4, "18"),
    "shoes": Trade("1520", MAKER, 3, "25"),
    "furniture": Trade("3100", MAKER, 5, "20", personal=True, inventive=True),
    "metal": Trade("2599", MAKER, 4, "6, 11", personal=True, inventive=True),
    "copper": Trade("2599", MAKER, 3, "21", personal=True),
    "ceramics": Trade("2393", MAKER, 3, "21"),  # handicrafts and ceramics
    "glass": Trade("2310", MAKER, 1, "21"),
    "jewellery": Trade("3211", MAKER, 2, "14"),
    "beadwork": Trade("3212", MAKER, 2, "14", personal=True),
    "coir": Trade("1394", MAKER, 1, "27", inventive=True),
    "irrigation": Trade("2813", MAKER, 1, "7", inventive=True),
    "paper": Trade("1701", MAKER, 1, "16", inventive=True),
    "cosmetics": Trade("2023", COSMETICS, 5, "3"),
    # Software and creative work
    "software": Trade("6201", TECH, 5, "9, 42"),
    "it_services": Trade("6202", TECH, 2, "42"),
    "games": Trade("5820", TECH, 1, "9, 41"),
    "printing": Trade("1811", CREATIVE, 3, "16, 40"),
    "video": Trade("5911", CREATIVE, 2, "41"),
    "music": Trade("5920", CREATIVE, 1, "9, 41"),
    "photography": Trade("7420", CREATIVE, 2, "41"),
    "design": Trade("7410", CREATIVE, 2, "42"),
    "arts": Trade("9000", CREATIVE, 1, "41"),
    "publishing": Trade("5811", CREATIVE, 1, "16"),
    # Energy, building, industry
    "solar": Trade("4321", SERVICE, 3, "37", inventive=True),  # solar installation
    "power": Trade("3510", INDUSTRY, 1, "40", inventive=True),
    "finishing": Trade("4330", SERVICE, 2, "37"),
    "quarry": Trade("0810", INDUSTRY, 1, "19"),
    "recycling": Trade("3830", INDUSTRY, 2, "40", inventive=True),
    "waste": Trade("3811", SERVICE, 1, "39"),
    # Farming
    "grain_farm": Trade("0111", FARM, 3, "31"),
    "rice": Trade("0112", FARM, 2, "30"),
    "vegetables": Trade("0113", FARM, 2, "31", personal=True),
    "fruit": Trade("0122", FARM, 2, "31"),
    "beverage_crops": Trade("0127", FARM, 2, "30"),
    "mixed_farm": Trade("0150", FARM, 2, "31", personal=True),
    "pigs": Trade("0145", FARM, 1, "31", personal=True),
    "poultry": Trade("0146", FARM, 2, "29, 31", personal=True),
    "bees": Trade("0149", FARM, 1, "30"),
    "fish": Trade("0322", FARM, 1, "31"),
    # Trade and services
    "retail": Trade("4711", RETAIL, 5, "35", personal=True),
    "pharmacy": Trade("4772", RETAIL, 2, "35"),
    "transport": Trade("4923", SERVICE, 2, "39"),
    "lodging": Trade("5510", SERVICE, 2, "43"),
    "travel": Trade("7911", SERVICE, 2, "39"),
    "safaris": Trade("7912", SERVICE, 1, "39"),
    "salon": Trade("9602", SERVICE, 3, "44", personal=True),
    "laundry": Trade("9601", SERVICE, 1, "37", personal=True),
    "phone_repair": Trade("9512", SERVICE, 2, "37", personal=True),
    "motor": Trade("4520", SERVICE, 2, "37", personal=True),
    "education": Trade("8549", SERVICE, 2, "41"),
    "clinic": Trade("8620", SERVICE, 1, "44"),
    "real_estate": Trade("6820", SERVICE, 1, "36"),
    "payments": Trade("6619", SERVICE, 1, "36"),
    "landscaping": Trade("8130", SERVICE, 1, "44"),
    "engineering": Trade("7110", SERVICE, 1, "42"),
}


@dataclass(frozen=True)
class Holder:
    """How a name's holder is made: a pattern with one slot ({brand}, {place}, {woman}, {man} or {surname})."""

    weight: int
    pattern: Word
    personal: bool = False  # an owner's name: only for a trade named after its owner
    first_only: bool = False  # a possessive ("Aling Nena's"): only where the holder starts the name


@dataclass(frozen=True)
class Flagship:
    """The country's first demo MSME (the demo member's business): a fixed trade, template, holder and region."""

    trade: str
    template: Word
    holder: Word
    region: str


@dataclass(frozen=True, eq=False)  # compared (and cached) as the one object it is
class Country:
    language: str  # the language of its asset titles ("en", "ar"): a key of ASSET_WORDS
    tld: str  # its businesses' domain names end with it
    brands: tuple[Word, ...]
    places: tuple[tuple[Word, str], ...]  # (place, its ISO 3166-2 region)
    women: tuple[Word, ...]
    men: tuple[Word, ...]
    surnames: tuple[Word, ...]
    holders: tuple[Holder, ...]
    trades: dict[str, tuple[Word, ...]]  # trade -> its name templates, "{}" for the holder
    flagship: Flagship | None = None
    digits: str = "0123456789"  # of a number added to a name


# Kenya ----------------------------------------------------------------------------------------------------------

# fmt: off
KE_BRANDS = (
    "Tumaini", "Baraka", "Neema", "Amani", "Upendo", "Harambee", "Uzuri", "Faraja", "Bidii", "Imani", "Zawadi",
    "Nuru", "Fahari", "Kilele", "Simba", "Twiga", "Pamoja", "Umoja", "Jamii", "Mwangaza", "Nyota", "Bahari",
    "Kilima", "Savanna", "Acacia", "Baobab", "Msingi", "Maisha", "Furaha", "Hodari", "Shujaa", "Jasiri", "Tausi",
    "Sifa", "Mvule", "Kifaru", "Chui", "Tembo", "Malaika", "Subira", "Mbegu", "Tulivu", "Kito", "Riziki",
)
KE_PLACES = (
    ("Nairobi", "KE-30"), ("Kisumu", "KE-17"), ("Mombasa", "KE-28"), ("Nakuru", "KE-31"), ("Eldoret", "KE-44"),
    ("Thika", "KE-13"), ("Nyeri", "KE-36"), ("Machakos", "KE-22"), ("Kitale", "KE-42"), ("Malindi", "KE-14"),
    ("Kericho", "KE-12"), ("Embu", "KE-06"), ("Meru", "KE-26"), ("Kakamega", "KE-11"), ("Naivasha", "KE-31"),
    ("Lamu", "KE-21"), ("Kiambu", "KE-13"), ("Gikomba", "KE-30"), ("Kariokor", "KE-30"), ("Karatina", "KE-36"),
    ("Kisii", "KE-16"), ("Bungoma", "KE-03"), ("Nanyuki", "KE-20"), ("Voi", "KE-39"), ("Kilifi", "KE-14"),
    ("Murang'a", "KE-29"), ("Narok", "KE-33"), ("Kitui", "KE-18"), ("Busia", "KE-04"), ("Kitengela", "KE-10"),
)
KE_WOMEN = (
    "Wanjiku", "Achieng", "Njeri", "Akinyi", "Wambui", "Atieno", "Nyambura", "Chebet", "Mwende", "Kemunto",
    "Halima", "Amina", "Wairimu", "Moraa", "Nafula", "Mumbua", "Jeptoo", "Auma", "Wangari", "Muthoni", "Kerubo",
    "Nekesa", "Mwanaisha", "Rehema",
)
KE_SURNAMES = (
    "Otieno", "Kamau", "Mutua", "Kiprono", "Wekesa", "Omondi", "Njoroge", "Ochieng", "Mwangi", "Kiplagat",
    "Barasa", "Onyango", "Kariuki", "Maina", "Odhiambo", "Chege", "Wafula", "Kosgei", "Mutiso", "Kilonzo",
    "Wanyama", "Korir", "Gitau", "Macharia", "Nyaga", "Owino", "Juma", "Hassan",
)
# fmt: on

KENYA = Country(
    language="en",
    tld="co.ke",
    brands=KE_BRANDS,
    places=KE_PLACES,
    women=KE_WOMEN,
    men=(),
    surnames=KE_SURNAMES,
    holders=(
        Holder(6, "{brand}"),
        Holder(3, "{place}"),
        Holder(2, "{surname}"),
        Holder(1, "{surname} & Sons", personal=True),
        Holder(3, "Mama {woman}", personal=True),
    ),
    trades={
        # The first template of each trade is plain English (the words of a country not listed here).
        "bakery": ("{} Bakery", "{} Bakers", "{} Confectioners"),
        "snacks": ("{} Foods", "{} Snacks", "{} Food Products"),
        "coffee": ("{} Coffee Roasters", "{} Tea Packers", "{} Coffee Millers"),
        "meat": ("{} Meat Processors", "{} Sausages"),
        "fruit_processing": ("{} Fruit Processors", "{} Dried Fruits"),
        "dairy": ("{} Dairies", "{} Yoghurt", "{} Dairy Products"),
        "grain_mill": ("{} Millers", "{} Posho Mill", "{} Flour Mills"),
        "oil_press": ("{} Oil Millers", "{} Sunflower Oil"),
        "drinks": ("{} Bottled Water", "{} Soft Drinks"),
        "restaurant": ("{} Restaurant", "{} Eatery", "{} Kitchen", "{} Nyama Choma"),
        "cafe": ("{} Café", "{} Coffee House"),
        "tailoring": ("{} Tailors", "{} Fashions", "{} Kitenge Fashions", "{} Dressmakers", "{} Uniforms"),
        "home_textiles": ("{} Home Textiles", "{} Curtains & Linen"),
        "cloth_weaving": ("{} Weavers", "{} Kikoi Weavers"),
        "basketry": ("{} Basket Weavers", "{} Kiondo Baskets"),
        "leather": ("{} Leather Works", "{} Leather Bags", "{} Leather Crafts"),
        "shoes": ("{} Shoemakers", "{} Sandals"),
        "furniture": ("{} Furniture", "{} Furniture Makers", "{} Furniture Works"),
        "metal": ("{} Metal Works", "{} Fabricators", "{} Welding Works"),
        "ceramics": ("{} Pottery", "{} Ceramics", "{} Handicrafts"),
        "glass": ("{} Glass Studio", "{} Glassworks"),
        "jewellery": ("{} Jewellers",),
        "beadwork": ("{} Beadwork", "{} Beads"),
        "coir": ("{} Rope Makers", "{} Sisal Ropes"),
        "irrigation": ("{} Irrigation Pumps", "{} Pumps"),
        "paper": ("{} Paper Makers", "{} Handmade Paper"),
        "cosmetics": ("{} Cosmetics", "{} Naturals", "{} Soaps", "{} Beauty Products"),
        "software": ("{} Software", "{} Tech Solutions", "{} Digital Labs"),
        "it_services": ("{} IT Consultants", "{} Computer Services"),
        "games": ("{} Games", "{} Game Studio"),
        "printing": ("{} Printers", "{} Print Shop", "{} Printing Press"),
        "video": ("{} Films", "{} Productions"),
        "music": ("{} Records", "{} Music Studio"),
        "photography": ("{} Photography", "{} Photo Studio"),
        "design": ("{} Design Studio", "{} Interiors"),
        "arts": ("{} Art Studio", "{} Theatre Group"),
        "publishing": ("{} Publishers", "{} Books"),
        "solar": ("{} Solar Installers", "{} Solar", "{} Solar Solutions"),
        "power": ("{} Power Company", "{} Mini-Grids"),
        "finishing": ("{} Finishes", "{} Tiling Works", "{} Painters & Decorators"),
        "quarry": ("{} Quarry", "{} Sand & Ballast"),
        "recycling": ("{} Recyclers", "{} Plastic Recyclers"),
        "waste": ("{} Waste Collectors", "{} Garbage Collection"),
        "grain_farm": ("{} Grain Growers", "{} Maize Growers"),
        "rice": ("{} Rice Growers",),
        "vegetables": ("{} Vegetable Growers", "{} Horticulture", "{} Greens"),
        "fruit": ("{} Mango Farm", "{} Avocado Growers"),
        "beverage_crops": ("{} Tea Growers", "{} Tea Estate", "{} Coffee Estate"),
        "mixed_farm": ("{} Farm", "{} Farms", "Shamba la {}"),
        "pigs": ("{} Pig Farm",),
        "poultry": ("{} Poultry Farm", "{} Kienyeji Chicken"),
        "bees": ("{} Beekeepers", "{} Apiaries"),
        "fish": ("{} Fish Farm", "{} Tilapia Farm"),
        "retail": ("{} Supermarket", "{} Mini-Mart", "{} General Stores", "Duka la {}"),
        "pharmacy": ("{} Pharmacy", "{} Chemists"),
        "transport": ("{} Transporters", "{} Movers", "{} Haulage"),
        "lodging": ("{} Guest House", "{} Lodge", "{} Cottages"),
        "travel": ("{} Travel Agency", "{} Tours & Travel"),
        "safaris": ("{} Safaris",),
        "salon": ("{} Salon", "{} Beauty Parlour", "{} Barbershop"),
        "laundry": ("{} Laundry", "{} Dry Cleaners"),
        "phone_repair": ("{} Phone Repairs", "{} Mobile Repairs"),
        "motor": ("{} Garage", "{} Auto Repairs"),
        "education": ("{} Driving School", "{} Computer College", "{} Tuition Centre"),
        "clinic": ("{} Medical Clinic", "{} Dental Clinic"),
        "real_estate": ("{} Property Agents", "{} Real Estate Agents"),
        "payments": ("{} Mobile Money Agents",),
        "landscaping": ("{} Landscapers", "{} Garden Services"),
        "engineering": ("{} Engineering Consultants", "{} Surveyors"),
    },
    # The demo member's business: its solar crop dryer is its WIPO GREEN listing (apps.programmes.demo).
    flagship=Flagship("metal", "{} Metal Works", "Jua Kali", "KE-30"),
)

# The Philippines ------------------------------------------------------------------------------------------------

# fmt: off
PH_BRANDS = (
    "Bayanihan", "Mabuhay", "Tala", "Bituin", "Liwayway", "Masagana", "Malaya", "Dalisay", "Sampaguita", "Perlas",
    "Bahaghari", "Diwata", "Kalinaw", "Magiting", "Biyaya", "Ginhawa", "Sinag", "Alon", "Likha", "Habi",
    "Hiraya", "Tanglaw", "Silangan", "Kalayaan", "Pag-asa", "Luntian", "Ligaya", "Marikit", "Agila", "Narra",
    "Anahaw", "Mayumi", "Dakila", "Kislap", "Alab", "Banaag", "Dayang", "Lakan", "Amihan", "Habagat",
)
PH_PLACES = (
    ("Cebu", "PH-CEB"), ("Davao", "PH-DAS"), ("Iloilo", "PH-ILI"), ("Bohol", "PH-BOH"), ("Vigan", "PH-ILS"),
    ("Baguio", "PH-BEN"), ("Pampanga", "PH-PAM"), ("Batangas", "PH-BTG"), ("Laguna", "PH-LAG"),
    ("Bulacan", "PH-BUL"), ("Marikina", "PH-00"), ("Taal", "PH-BTG"), ("Albay", "PH-ALB"), ("Cagayan", "PH-CAG"),
    ("Palawan", "PH-PLW"), ("Leyte", "PH-LEY"), ("Bacolod", "PH-NEC"), ("Tagaytay", "PH-CAV"),
    ("Zamboanga", "PH-ZAS"), ("Quezon", "PH-QUE"), ("Ilocos", "PH-ILN"), ("Dumaguete", "PH-NER"),
    ("Pangasinan", "PH-PAN"), ("Tarlac", "PH-TAR"), ("Capiz", "PH-CAP"), ("Aklan", "PH-AKL"),
    ("Sorsogon", "PH-SOR"), ("Camiguin", "PH-CAM"), ("Siargao", "PH-SUN"), ("Manila", "PH-00"), ("Pasig", "PH-00"),
)
PH_WOMEN = (
    "Nena", "Rosa", "Linda", "Maring", "Celia", "Norma", "Tessie", "Lorna", "Cora", "Fely", "Gloria", "Loring",
    "Pacing", "Ising", "Charing", "Osang", "Bining", "Nita", "Tinay", "Luz", "Pilar", "Remy", "Auring", "Didang",
)
PH_MEN = (
    "Kanor", "Jose", "Ramon", "Pedring", "Berto", "Carding", "Ambo", "Isko", "Dado", "Lito", "Andoy", "Nonoy",
    "Tonyo", "Inggo", "Boyet", "Caloy", "Pepe", "Kiko", "Dodong", "Jun", "Rudy", "Ador",
)
PH_SURNAMES = (
    "Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos", "Aquino", "Castillo",
    "Dela Cruz", "Fernandez", "Navarro", "Soriano", "Pascual", "Salazar", "Torres", "Domingo", "Gonzales",
    "Aguilar", "Manalo", "Dimaculangan", "Macaraeg", "Tolentino", "Lacson", "Panganiban", "Katigbak",
    "Del Rosario", "Mercado",
)
# fmt: on

PHILIPPINES = Country(
    language="en",
    tld="com.ph",
    brands=PH_BRANDS,
    places=PH_PLACES,
    women=PH_WOMEN,
    men=PH_MEN,
    surnames=PH_SURNAMES,
    holders=(
        Holder(6, "{brand}"),
        Holder(3, "{place}"),
        Holder(2, "{surname}"),
        Holder(1, "{surname} & Sons", personal=True),
        Holder(2, "Aling {woman}'s", personal=True, first_only=True),
        Holder(2, "Mang {man}'s", personal=True, first_only=True),
    ),
    trades={
        "bakery": ("{} Bakeshop", "{} Bakery", "{} Kakanin", "Panaderya {}"),
        "snacks": ("{} Delicacies", "{} Food Products"),
        "coffee": ("{} Coffee Roasters", "{} Barako Coffee"),
        "chocolate": ("{} Tablea", "{} Chocolates"),
        "meat": ("{} Chicharon", "{} Longganisa", "{} Meat Products"),
        "fruit_processing": ("{} Dried Mangoes", "{} Fruit Preserves"),
        "dairy": ("{} Kesong Puti", "{} Dairy"),
        "grain_mill": ("{} Rice Mill",),
        "oil_press": ("{} Virgin Coconut Oil", "{} Coco Oil"),
        "drinks": ("{} Water Refilling Station", "{} Purified Water"),
        "restaurant": ("{} Carinderia", "{} Eatery", "{} Lutong Bahay", "{} Ihaw-Ihaw"),
        "cafe": ("{} Café", "{} Coffee Shop"),
        "tailoring": ("{} Tailoring", "{} Dressmaking", "{} Barong Tagalog"),
        "home_textiles": ("{} Home Linens", "{} Curtains"),
        "cloth_weaving": ("{} Weaving", "{} Piña Weavers", "{} Abel Weaving"),
        "basketry": ("{} Banig Weavers", "{} Bamboo Crafts", "{} Rattan Crafts"),
        "leather": ("{} Leather Goods", "{} Bags"),
        "shoes": ("{} Shoes", "{} Shoemakers"),
        "furniture": ("{} Furniture", "{} Rattan Furniture", "{} Muwebles"),
        "metal": ("{} Metalcraft", "{} Welding Shop", "{} Fabrication"),
        "ceramics": ("{} Handicrafts", "{} Pottery", "{} Ceramics"),
        "jewellery": ("{} Jewelry", "{} Pearls", "{} Alahas"),
        "beadwork": ("{} Shellcraft", "{} Fashion Accessories"),
        "coir": ("{} Coir Products", "{} Coco Coir"),
        "irrigation": ("{} Water Pumps",),
        "paper": ("{} Handmade Paper", "{} Abaca Paper"),
        "cosmetics": ("{} Natural Soaps", "{} Organics", "{} Cosmetics", "{} Beauty Products"),
        "software": ("{} Software", "{} Tech Solutions", "{} Digital Labs"),
        "it_services": ("{} IT Solutions", "{} Computer Services"),
        "games": ("{} Games", "{} Game Studio"),
        "printing": ("{} Printing Press", "{} Print Shop", "{} Imprenta"),
        "video": ("{} Productions", "{} Films"),
        "music": ("{} Records", "{} Music Studio"),
        "photography": ("{} Photography", "{} Photo Studio"),
        "design": ("{} Design Studio", "{} Interiors"),
        "arts": ("{} Dance Troupe", "{} Rondalla", "{} Art Studio"),
        "publishing": ("{} Publishing", "{} Books"),
        "solar": ("{} Solar", "{} Solar Installers", "{} Solar Energy Solutions"),
        "power": ("{} Renewable Power", "{} Mini-Hydro Power"),
        "finishing": ("{} Finishing Works", "{} Tiles & Finishing"),
        "quarry": ("{} Sand & Gravel", "{} Quarry"),
        "recycling": ("{} Junk Shop", "{} Recycling"),
        "waste": ("{} Garbage Collection",),
        "grain_farm": ("{} Corn Farm",),
        "rice": ("{} Rice Farm", "{} Palayan"),
        "vegetables": ("{} Vegetable Farm", "{} Gulayan"),
        "fruit": ("{} Mango Farm", "{} Banana Plantation"),
        "beverage_crops": ("{} Coffee Farm", "{} Cacao Farm"),
        "mixed_farm": ("{} Farm", "{} Integrated Farm"),
        "pigs": ("{} Piggery",),
        "poultry": ("{} Poultry Farm", "{} Egg Farm"),
        "bees": ("{} Bee Farm",),
        "fish": ("{} Tilapia Farm",),
        "retail": ("{} Sari-Sari Store", "{} Mini Mart", "{} Grocery"),
        "pharmacy": ("{} Drugstore", "{} Pharmacy"),
        "transport": ("{} Trucking", "{} Cargo Services"),
        "lodging": ("{} Beach Resort", "{} Pension House", "{} Inn"),
        "travel": ("{} Travel & Tours",),
        "salon": ("{} Beauty Salon", "{} Parlor", "{} Barbershop"),
        "laundry": ("{} Laundry Shop",),
        "phone_repair": ("{} Cellphone Repair",),
        "motor": ("{} Auto Repair", "{} Vulcanizing Shop"),
        "education": ("{} Tutorial Center", "{} Learning Center", "{} Driving School"),
        "clinic": ("{} Dental Clinic", "{} Medical Clinic"),
        "real_estate": ("{} Realty",),
        "payments": ("{} Remittance Center", "{} Padala Center"),
        "landscaping": ("{} Landscaping", "{} Garden Services"),
        "engineering": ("{} Engineering Services", "{} Surveying"),
    },
    # The demo member's business: its coir mats are its WIPO GREEN listing (apps.programmes.demo).
    flagship=Flagship("coir", "{} Coir Products", "Bayanihan", "PH-QUE"),
)

# Egypt ----------------------------------------------------------------------------------------------------------

# fmt: off
EG_BRANDS = (
    ("النيل", "elnil"), ("الأمل", "elamal"), ("النور", "elnour"), ("الهرم", "elharam"), ("الدلتا", "eldelta"),
    ("الفجر", "elfagr"), ("الصفا", "elsafa"), ("المستقبل", "elmostaqbal"), ("السلام", "elsalam"),
    ("الياسمين", "elyasmin"), ("اللوتس", "ellotus"), ("الواحة", "elwaha"), ("الفيروز", "elfayrouz"),
    ("النخيل", "elnakheel"), ("الشروق", "elshorouk"), ("الريادة", "elreyada"), ("الأصالة", "elasala"),
    ("الإتقان", "eletqan"), ("البركة", "elbaraka"), ("الخير", "elkheir"), ("الصفوة", "elsafwa"),
    ("الرواد", "elrowad"), ("النسر", "elnesr"), ("القمة", "elqemma"), ("الجوهرة", "elgohara"),
    ("المنارة", "elmanara"), ("الهدى", "elhoda"), ("الأندلس", "elandalus"), ("الفراعنة", "elfaraana"),
    ("كليوباترا", "cleopatra"), ("نفرتيتي", "nefertiti"), ("حورس", "horus"), ("الزيتونة", "elzaytouna"),
    ("البستان", "elbostan"), ("الربيع", "elrabie"), ("الندى", "elnada"), ("الضياء", "eldiaa"),
)
EG_PLACES = (
    (("القاهرة", "cairo"), "EG-C"), (("الإسكندرية", "alex"), "EG-ALX"), (("أسيوط", "assiut"), "EG-AST"),
    (("المنصورة", "mansoura"), "EG-DK"), (("طنطا", "tanta"), "EG-GH"), (("دمياط", "damietta"), "EG-DT"),
    (("الفيوم", "fayoum"), "EG-FYM"), (("سيناء", "sinai"), "EG-JS"), (("الأقصر", "luxor"), "EG-LX"),
    (("أسوان", "aswan"), "EG-ASN"), (("المنيا", "minya"), "EG-MN"), (("سوهاج", "sohag"), "EG-SHG"),
    (("بورسعيد", "portsaid"), "EG-PTS"), (("الزقازيق", "zagazig"), "EG-SHR"), (("قنا", "qena"), "EG-KN"),
    (("الإسماعيلية", "ismailia"), "EG-IS"), (("السويس", "suez"), "EG-SUZ"), (("الجيزة", "giza"), "EG-GZ"),
    (("المحلة", "mahalla"), "EG-GH"), (("سيوة", "siwa"), "EG-MT"), (("أخميم", "akhmim"), "EG-SHG"),
    (("كرداسة", "kerdasa"), "EG-GZ"), (("بني سويف", "benisuef"), "EG-BNS"), (("دمنهور", "damanhour"), "EG-BH"),
    (("كفر الشيخ", "kafrelsheikh"), "EG-KFS"), (("الغردقة", "hurghada"), "EG-BA"), (("بنها", "benha"), "EG-KB"),
    (("الخارجة", "kharga"), "EG-WAD"),
)
EG_WOMEN = (
    ("فاطمة", "fatma"), ("منى", "mona"), ("هدى", "hoda"), ("سعاد", "soad"), ("نادية", "nadia"), ("سلمى", "salma"),
    ("ياسمين", "yasmine"), ("مريم", "mariam"), ("نوال", "nawal"), ("عبير", "abeer"), ("دينا", "dina"),
    ("رانيا", "rania"), ("أميرة", "amira"), ("هالة", "hala"), ("شيماء", "shaimaa"), ("ماجدة", "magda"),
)
EG_MEN = (
    ("أحمد", "ahmed"), ("محمد", "mohamed"), ("محمود", "mahmoud"), ("مصطفى", "mostafa"), ("حسن", "hassan"),
    ("حسين", "hussein"), ("إبراهيم", "ibrahim"), ("يوسف", "youssef"), ("عمر", "omar"), ("خالد", "khaled"),
    ("سيد", "sayed"), ("طارق", "tarek"), ("كريم", "karim"), ("عادل", "adel"), ("صلاح", "salah"), ("رجب", "ragab"),
    ("شعبان", "shaaban"), ("عاطف", "atef"), ("جمال", "gamal"), ("سامي", "samy"), ("مينا", "mina"),
    ("جرجس", "girgis"), ("بطرس", "boutros"), ("فتحي", "fathy"), ("زكريا", "zakaria"),
)
EG_SURNAMES = (
    ("منصور", "mansour"), ("سليمان", "soliman"), ("عثمان", "osman"), ("رضوان", "radwan"), ("فرج", "farag"),
    ("الشافعي", "elshafei"), ("المصري", "elmasry"), ("الشريف", "elsherif"), ("النجار", "elnaggar"),
    ("عبد الرحمن", "abdelrahman"), ("عبد العزيز", "abdelaziz"), ("البدري", "elbadry"), ("زكي", "zaki"),
    ("حبيب", "habib"), ("غالي", "ghaly"), ("عوض", "awad"), ("الطحان", "eltahan"), ("شحاتة", "shehata"),
    ("الجمال", "elgammal"), ("العطار", "elattar"),
)
# fmt: on

EGYPT = Country(
    language="ar",
    tld="com.eg",
    brands=EG_BRANDS,
    places=EG_PLACES,
    women=EG_WOMEN,
    men=EG_MEN,
    surnames=EG_SURNAMES,
    holders=(
        Holder(6, ("{brand}", "{brand}")),
        Holder(2, ("{place}", "{place}")),
        Holder(2, ("{surname}", "{surname}")),
        Holder(1, ("أولاد {surname}", "awlad-{surname}"), personal=True),
        Holder(2, ("الحاج {man}", "elhag-{man}"), personal=True),
        Holder(1, ("أبو {man}", "abu-{man}"), personal=True),
        Holder(1, ("{woman}", "{woman}"), personal=True),
    ),
    trades={
        "bakery": (("مخبز {}", "{}-bakery"), ("حلويات {}", "{}-sweets"), ("فطائر {}", "{}-feteer")),
        "snacks": (("{} للصناعات الغذائية", "{}-foods"), ("{} للتوابل والبهارات", "{}-spices")),
        "coffee": (("بن {}", "{}-coffee"), ("محمصة {}", "{}-roastery"), ("{} لتعبئة الشاي", "{}-tea")),
        "chocolate": (("شوكولاتة {}", "{}-chocolate"),),
        "meat": (("مصنع {} للحوم المصنعة", "{}-meats"),),
        "fruit_processing": (("مصنع {} لتعبئة التمور", "{}-dates"), ("مخللات {}", "{}-pickles")),
        "dairy": (("ألبان {}", "{}-dairy"), ("مصنع {} للأجبان", "{}-cheese")),
        "grain_mill": (("مطاحن {}", "{}-mills"),),
        "oil_press": (("معصرة {} لزيت الزيتون", "{}-olive-oil"),),
        "restaurant": (("مطعم {}", "{}-restaurant"), ("كشري {}", "{}-koshary"), ("مشويات {}", "{}-grill")),
        "cafe": (("مقهى {}", "{}-cafe"),),
        "tailoring": (("مصنع {} للملابس الجاهزة", "{}-garments"), ("أتيليه {}", "{}-atelier")),
        "home_textiles": (("{} للمفروشات", "{}-home-textiles"),),
        "cloth_weaving": (("{} للنسيج اليدوي", "{}-handloom"),),
        "carpets": (("سجاد {}", "{}-carpets"),),
        "basketry": (("{} لمشغولات الخوص", "{}-wicker"),),
        "leather": (("{} للمنتجات الجلدية", "{}-leather"), ("{} للشنط الجلدية", "{}-bags")),
        "shoes": (("مصنع {} للأحذية", "{}-shoes"),),
        "furniture": (("مصنع {} للأثاث", "{}-furniture"), ("ورشة {} للموبيليا", "{}-moobilia")),
        "metal": (("ورشة {} للحدادة", "{}-ironworks"), ("{} للصناعات المعدنية", "{}-metal")),
        "copper": (("ورشة {} للنحاس", "{}-copper"),),
        "ceramics": (("ورشة {} للفخار", "{}-pottery"), ("{} للخزف", "{}-ceramics")),
        "glass": (("ورشة {} للزجاج المنفوخ", "{}-glass"),),
        "jewellery": (("{} للمصوغات", "{}-jewellery"), ("ورشة {} للفضة", "{}-silver")),
        "irrigation": (("ورشة {} لمعدات الري", "{}-irrigation"), ("{} لمضخات المياه", "{}-pumps")),
        "paper": (("{} لورق البردي", "{}-papyrus"),),
        "cosmetics": (
            ("{} لمستحضرات التجميل", "{}-cosmetics"),
            ("معمل {} للصابون", "{}-soap"),
            ("{} للعطور", "{}-perfumes"),
        ),
        "software": (("{} للبرمجيات", "{}-software"), ("{} للحلول البرمجية", "{}-solutions")),
        "it_services": (("{} لتكنولوجيا المعلومات", "{}-it"),),
        "games": (("{} لتطوير الألعاب", "{}-games"),),
        "printing": (("مطبعة {}", "{}-press"), ("{} للطباعة", "{}-printing")),
        "video": (("{} للإنتاج الفني", "{}-productions"),),
        "music": (("{} للتسجيلات الصوتية", "{}-records"),),
        "photography": (("استوديو {} للتصوير", "{}-studio"),),
        "design": (("{} للتصميم الداخلي", "{}-interiors"),),
        "arts": (("فرقة {} للفنون الشعبية", "{}-folk-arts"),),
        "publishing": (("دار {} للنشر", "{}-publishing"),),
        "solar": (("{} لأنظمة الطاقة الشمسية", "{}-solar"),),
        "power": (("{} للطاقة المتجددة", "{}-renewables"),),
        "finishing": (("{} للتشطيبات", "{}-finishing"),),
        "quarry": (("محاجر {}", "{}-quarries"),),
        "recycling": (("{} لإعادة التدوير", "{}-recycling"),),
        "waste": (("{} لجمع المخلفات", "{}-waste"),),
        "grain_farm": (("مزارع {} للقمح", "{}-wheat"),),
        "rice": (("مزارع {} للأرز", "{}-rice"),),
        "vegetables": (("مزارع {} للخضروات", "{}-vegetables"),),
        "fruit": (("مزارع {} للنخيل", "{}-palms"), ("مزارع {} للمانجو", "{}-mango")),
        "mixed_farm": (("مزرعة {}", "{}-farm"),),
        "poultry": (("مزرعة {} للدواجن", "{}-poultry"),),
        "bees": (("مناحل {}", "{}-apiaries"),),
        "fish": (("مزارع {} السمكية", "{}-fish-farms"),),
        "retail": (("سوبر ماركت {}", "{}-market"), ("بقالة {}", "{}-grocery")),
        "pharmacy": (("صيدلية {}", "{}-pharmacy"),),
        "transport": (("{} للنقل والشحن", "{}-transport"),),
        "lodging": (("فندق {}", "{}-hotel"),),
        "travel": (("{} للسياحة والسفر", "{}-travel"),),
        "salon": (("صالون {}", "{}-salon"),),
        "laundry": (("مغسلة {}", "{}-laundry"),),
        "phone_repair": (("{} لصيانة المحمول", "{}-mobile-repair"),),
        "motor": (("مركز {} لصيانة السيارات", "{}-auto"),),
        "education": (("مركز {} للتدريب", "{}-training"), ("مركز {} للغات", "{}-languages")),
        "clinic": (("عيادة {} لطب الأسنان", "{}-dental"),),
        "real_estate": (("{} للتسويق العقاري", "{}-realestate"),),
        "payments": (("{} لخدمات الدفع الإلكتروني", "{}-payments"),),
        "landscaping": (("{} لتنسيق الحدائق", "{}-gardens"),),
        "engineering": (("{} للاستشارات الهندسية", "{}-engineering"),),
    },
    # The demo member's business: its drip valve is its WIPO GREEN listing (apps.programmes.demo).
    flagship=Flagship("irrigation", ("ورشة {} لمعدات الري", "{}-irrigation"), ("الدلتا", "eldelta"), "EG-DK"),
    digits="٠١٢٣٤٥٦٧٨٩",
)

# Any other country: plain English names of brands, without places or owners.
# fmt: off
ELSEWHERE_BRANDS = (
    "Savanna", "Lotus", "Sunrise", "Jasmine", "Delta", "Oasis", "Acacia", "Falcon", "Cedar", "Coral", "Harbour",
    "Summit", "Meadow", "Horizon", "Evergreen", "Silverline", "Bluebird", "Northstar", "Keystone", "Riverside",
    "Golden Leaf", "Pioneer", "Crestview", "Maple", "Orchid", "Granite", "Sapphire", "Willow", "Beacon", "Kestrel",
)
# fmt: on

ELSEWHERE = Country(
    language="en",
    tld="com",
    brands=ELSEWHERE_BRANDS,
    places=(),
    women=(),
    men=(),
    surnames=(),
    holders=(Holder(1, "{brand}"),),
    trades={trade: templates[:1] for trade, templates in KENYA.trades.items()},
)

COUNTRIES = {"KE": KENYA, "PH": PHILIPPINES, "EG": EGYPT}


def country_words(country: str) -> Country:
    return COUNTRIES.get(country, ELSEWHERE)


# Asset titles ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetWords:
    """What a business of a trade (or profile) holds, "{mark}" standing for its name's holder ("Tumaini")."""

    designs: tuple[str, ...] = ()  # an industrial design: "{mark} armchair"
    inventions: tuple[str, ...] = ()  # a utility model's or patent's title (inventive trades only)
    works: tuple[str, ...] = ()  # a copyright work: "{mark} point-of-sale app (source code)"
    secrets: tuple[str, ...] = ()  # a trade secret's label: "{mark} dough recipe"


@dataclass(frozen=True)
class AssetLanguage:
    logo: str  # a figurative mark: "{name} logo"
    owner: str  # who keeps a small business's secrets
    manager: str  # ... and a larger one's
    cabinet: str  # where a small business keeps them
    safe: str  # ... and a larger one
    profiles: dict[str, AssetWords]  # by profile
    trades: dict[str, AssetWords] = field(default_factory=dict)  # by trade, before its profile's


_EN_SITE = AssetWords(works=("{mark} website texts and photographs", "{mark} brochure"))
_AR_SITE = AssetWords(works=("محتوى موقع {mark} الإلكتروني", "كتيب {mark} التعريفي"))

ASSET_WORDS = {
    "en": AssetLanguage(
        logo="{name} logo",
        owner="Owner",
        manager="Managing director",
        cabinet="Locked cabinet, workshop",
        safe="Locked safe, head office",
        profiles={
            FOOD: AssetWords(
                designs=("{mark} packaging", "{mark} gift box"),
                works=("{mark} label artwork",),
                secrets=("{mark} recipe",),
            ),
            EATERY: AssetWords(works=("{mark} menu and photographs",), secrets=("{mark} sauce recipe",)),
            MAKER: AssetWords(designs=("{mark} product design",), works=("{mark} product catalogue",)),
            COSMETICS: AssetWords(
                designs=("{mark} bottle", "{mark} soap bar shape"),
                works=("{mark} label artwork",),
                secrets=("{mark} formula",),
            ),
            TECH: AssetWords(works=("{mark} software (source code)",)),
            CREATIVE: AssetWords(works=("{mark} portfolio",)),
            SERVICE: _EN_SITE,
            RETAIL: _EN_SITE,
            FARM: AssetWords(works=("{mark} label artwork", "{mark} website texts and photographs")),
            INDUSTRY: _EN_SITE,
        },
        trades={
            "bakery": AssetWords(
                designs=("{mark} cake box", "{mark} bread bag"), secrets=("{mark} dough recipe", "{mark} cake recipe")
            ),
            "snacks": AssetWords(secrets=("{mark} spice blend",)),
            "coffee": AssetWords(designs=("{mark} coffee pouch",), secrets=("{mark} roast profiles and blends",)),
            "chocolate": AssetWords(designs=("{mark} chocolate bar mould",), secrets=("{mark} cocoa blend",)),
            "meat": AssetWords(secrets=("{mark} sausage seasoning",)),
            "fruit_processing": AssetWords(designs=("{mark} fruit pouch",), secrets=("{mark} drying process",)),
            "dairy": AssetWords(designs=("{mark} yoghurt cup",), secrets=("{mark} cheese-making process",)),
            "grain_mill": AssetWords(designs=("{mark} flour bag",), secrets=("{mark} flour blend",)),
            "oil_press": AssetWords(designs=("{mark} oil bottle",), secrets=("{mark} cold-pressing process",)),
            "drinks": AssetWords(designs=("{mark} water bottle",), secrets=("{mark} flavour recipe",)),
            "cafe": AssetWords(secrets=("{mark} coffee blend",)),
            "tailoring": AssetWords(designs=("{mark} shirt", "{mark} dress", "{mark} school uniform")),
            "home_textiles": AssetWords(designs=("{mark} bedspread", "{mark} cushion cover")),
            "cloth_weaving": AssetWords(designs=("{mark} woven scarf", "{mark} table runner")),
            "carpets": AssetWords(designs=("{mark} rug pattern",)),
            "basketry": AssetWords(designs=("{mark} basket", "{mark} floor mat")),
            "leather": AssetWords(designs=("{mark} handbag", "{mark} wallet")),
            "shoes": AssetWords(designs=("{mark} sandal", "{mark} shoe")),
            "furniture": AssetWords(
                designs=("{mark} armchair", "{mark} coffee table"),
                inventions=("Knock-down joint for flat-pack furniture", "Folding bed frame"),
            ),
            "metal": AssetWords(
                designs=("{mark} solar dryer", "{mark} charcoal stove"),
                inventions=("Solar tunnel crop dryer", "Charcoal-saving cookstove"),
            ),
            "copper": AssetWords(designs=("{mark} tray", "{mark} lantern")),
            "ceramics": AssetWords(designs=("{mark} vase", "{mark} water jar")),
            "glass": AssetWords(designs=("{mark} lamp", "{mark} drinking glass")),
            "jewellery": AssetWords(designs=("{mark} pendant", "{mark} earrings")),
            "beadwork": AssetWords(designs=("{mark} necklace", "{mark} bracelet")),
            "coir": AssetWords(
                designs=("{mark} coir pot",), inventions=("Woven coir erosion-control mat", "Coir pot for seedlings")
            ),
            "irrigation": AssetWords(
                designs=("{mark} pump housing",),
                inventions=("Low-pressure drip irrigation valve", "Treadle irrigation pump"),
            ),
            "paper": AssetWords(
                designs=("{mark} notebook",),
                inventions=("Pulping process for plant fibres",),
                works=("{mark} stationery artwork",),
            ),
            "cosmetics": AssetWords(inventions=("Herbal skin cream formulation",)),
            "solar": AssetWords(inventions=("Roof mounting bracket for solar panels", "Solar charge controller")),
            "power": AssetWords(inventions=("Prepaid meter for mini-grids",)),
            "recycling": AssetWords(
                inventions=("Process for making paving blocks from plastic waste", "Shredder for plastic bottles")
            ),
            "software": AssetWords(
                works=(
                    "{mark} point-of-sale app (source code)",
                    "{mark} school management system (source code)",
                    "{mark} farm records app (source code)",
                )
            ),
            "it_services": AssetWords(works=("{mark} network setup manuals",)),
            "games": AssetWords(works=("{mark} mobile game (source code and artwork)",)),
            "printing": AssetWords(works=("{mark} calendar artwork",)),
            "video": AssetWords(works=("{mark} documentary film", "{mark} television series")),
            "music": AssetWords(works=("{mark} album recordings",)),
            "photography": AssetWords(works=("{mark} photo archive",)),
            "design": AssetWords(works=("{mark} pattern collection",)),
            "arts": AssetWords(works=("{mark} stage production",)),
            "publishing": AssetWords(works=("{mark} children's books",)),
            "education": AssetWords(works=("{mark} course materials",)),
        },
    ),
    "ar": AssetLanguage(
        logo="شعار {name}",
        owner="المالك",
        manager="المدير العام",
        cabinet="خزانة مغلقة في الورشة",
        safe="خزنة مغلقة في المقر الرئيسي",
        profiles={
            FOOD: AssetWords(
                designs=("عبوة {mark}", "علبة هدايا {mark}"),
                works=("تصميم ملصق {mark}",),
                secrets=("وصفة {mark} السرية",),
            ),
            EATERY: AssetWords(works=("قائمة طعام {mark}",), secrets=("خلطة {mark} السرية",)),
            MAKER: AssetWords(designs=("تصميم منتج {mark}",), works=("كتالوج منتجات {mark}",)),
            COSMETICS: AssetWords(
                designs=("زجاجة عطر {mark}", "قالب صابون {mark}"),
                works=("تصميم ملصق {mark}",),
                secrets=("تركيبة {mark}",),
            ),
            TECH: AssetWords(works=("برنامج {mark} (الشفرة المصدرية)",)),
            CREATIVE: AssetWords(works=("أعمال {mark}",)),
            SERVICE: _AR_SITE,
            RETAIL: _AR_SITE,
            FARM: AssetWords(works=("تصميم ملصق {mark}", "محتوى موقع {mark} الإلكتروني")),
            INDUSTRY: _AR_SITE,
        },
        trades={
            "bakery": AssetWords(designs=("علبة حلويات {mark}", "كيس خبز {mark}"), secrets=("وصفة عجينة {mark}",)),
            "snacks": AssetWords(secrets=("خلطة توابل {mark}",)),
            "coffee": AssetWords(designs=("عبوة بن {mark}",), secrets=("خلطة بن {mark}",)),
            "chocolate": AssetWords(designs=("قالب شوكولاتة {mark}",), secrets=("خلطة كاكاو {mark}",)),
            "meat": AssetWords(secrets=("خلطة توابل لحوم {mark}",)),
            "fruit_processing": AssetWords(designs=("عبوة تمور {mark}",), secrets=("طريقة حفظ منتجات {mark}",)),
            "dairy": AssetWords(designs=("عبوة ألبان {mark}",), secrets=("طريقة تصنيع جبن {mark}",)),
            "grain_mill": AssetWords(designs=("كيس دقيق {mark}",), secrets=("خلطة دقيق {mark}",)),
            "oil_press": AssetWords(designs=("زجاجة زيت {mark}",), secrets=("طريقة عصر {mark} على البارد",)),
            "tailoring": AssetWords(designs=("قميص {mark}", "فستان {mark}")),
            "home_textiles": AssetWords(designs=("مفرش سرير {mark}", "غطاء وسادة {mark}")),
            "cloth_weaving": AssetWords(designs=("نقشة نسيج {mark}",)),
            "carpets": AssetWords(designs=("نقشة سجاد {mark}",)),
            "basketry": AssetWords(designs=("سلة {mark}", "حصيرة {mark}")),
            "leather": AssetWords(designs=("حقيبة يد {mark}", "محفظة {mark}")),
            "shoes": AssetWords(designs=("صندل {mark}", "حذاء {mark}")),
            "furniture": AssetWords(
                designs=("كرسي {mark}", "طاولة {mark}"),
                inventions=("وصلة تجميع للأثاث القابل للفك", "هيكل سرير قابل للطي"),
            ),
            "metal": AssetWords(
                designs=("موقد {mark}", "بوابة {mark}"), inventions=("موقد موفر للوقود", "مكبس طوب يدوي")
            ),
            "copper": AssetWords(designs=("صينية {mark} النحاسية", "فانوس {mark}")),
            "ceramics": AssetWords(designs=("زهرية {mark}", "قلة {mark}")),
            "glass": AssetWords(designs=("مصباح {mark}", "كوب {mark}")),
            "jewellery": AssetWords(designs=("قلادة {mark}", "أقراط {mark}")),
            "irrigation": AssetWords(
                designs=("غلاف مضخة {mark}",), inventions=("صمام ري بالتنقيط منخفض الضغط", "مضخة ري تعمل بالقدم")
            ),
            "paper": AssetWords(
                designs=("دفتر {mark}",),
                inventions=("طريقة لتحضير عجينة ورق البردي",),
                works=("لوحات {mark} على ورق البردي",),
            ),
            "cosmetics": AssetWords(inventions=("تركيبة كريم للبشرة بزيت الزيتون",)),
            "solar": AssetWords(inventions=("حامل تثبيت الألواح الشمسية على الأسطح", "منظم شحن شمسي")),
            "power": AssetWords(inventions=("عداد مسبق الدفع للشبكات الصغيرة",)),
            "recycling": AssetWords(
                inventions=("طريقة لتحويل مخلفات البلاستيك إلى بلاط", "فرامة للزجاجات البلاستيكية")
            ),
            "software": AssetWords(
                works=("تطبيق {mark} لنقاط البيع (الشفرة المصدرية)", "نظام {mark} لإدارة المدارس (الشفرة المصدرية)")
            ),
            "it_services": AssetWords(works=("أدلة {mark} لإعداد الشبكات",)),
            "games": AssetWords(works=("لعبة {mark} للهواتف (الشفرة المصدرية والرسوم)",)),
            "printing": AssetWords(works=("تصميمات تقويم {mark}",)),
            "video": AssetWords(works=("فيلم {mark} الوثائقي", "مسلسل {mark} التلفزيوني")),
            "music": AssetWords(works=("تسجيلات ألبوم {mark}",)),
            "photography": AssetWords(works=("أرشيف صور {mark}",)),
            "design": AssetWords(works=("مجموعة تصاميم {mark}",)),
            "arts": AssetWords(works=("عرض {mark} المسرحي",)),
            "publishing": AssetWords(works=("سلسلة {mark} لكتب الأطفال",)),
            "education": AssetWords(works=("مواد {mark} التدريبية",)),
        },
    ),
}
