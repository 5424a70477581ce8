"""Article texts for the extraction corpus (tests/corpus.py), written from a small grammar.

Each call with the same `random.Random` state gives the same text, so the corpus can be rebuilt
byte for byte. English prose mixes reported speech, quotes, figures and background; Japanese,
Chinese and Russian texts come from sentence patterns written for each language.
"""

from __future__ import annotations

import random

CITIES = ("Oslo", "Porto", "Tallinn", "Valencia", "Leeds", "Dunedin", "Tampere", "Cork", "Graz",
          "Bergen", "Lyon", "Gdansk", "Aarhus", "Brno", "Trieste", "Malmo", "Ghent", "Utrecht")
PEOPLE = ("Maria Lindqvist", "Tomasz Wrona", "Aisha Bello", "Daniel Okafor", "Helen Ward",
          "Jonas Keller", "Priya Raman", "Luis Ortega", "Ingrid Sato", "Kwame Mensah",
          "Elena Petrova", "Samuel Hart", "Fatima Haddad", "Oliver Brandt", "Rosa Almeida",
          "Chen Wei", "Marta Novak", "Ivan Kuznetsov", "Grace Mulligan", "Yusuf Demir")
ROLES = ("the city's transport director", "a spokesperson for the ministry", "an economist at the "
         "regional bank", "the union's chief negotiator", "a professor of public health",
         "the council's finance chief", "a senior analyst", "the port authority's chair",
         "a researcher at the national institute", "the head of the tenants' association",
         "a lawyer for the families", "the agency's deputy director")
ORGS = ("the regional council", "the health ministry", "the port authority", "the central bank",
        "the transport agency", "the national audit office", "the energy regulator",
        "the water utility", "the teachers' union", "the statistics office", "the city assembly")
TOPICS = {
    "transport": ("tram line", "bus network", "rail link", "cycle lanes", "ferry service",
                  "ticket prices", "night buses", "bridge repairs"),
    "health": ("hospital waiting lists", "vaccination clinics", "ambulance times",
               "mental health services", "nurse staffing", "drug shortages", "GP surgeries"),
    "economy": ("interest rates", "housing costs", "fuel prices", "the minimum wage",
                "small business loans", "export orders", "retail sales", "pension funds"),
    "environment": ("river pollution", "flood defences", "air quality", "wind farms",
                    "recycling targets", "heat pumps", "coastal erosion", "tree planting"),
    "education": ("school budgets", "teacher pay", "exam results", "class sizes",
                  "university fees", "school meals", "nursery places"),
}
VERBS = ("approved", "delayed", "rejected", "expanded", "cut", "reviewed", "postponed",
         "doubled", "scrapped", "defended", "questioned", "announced")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "September",
          "October", "November", "December")
CLAUSES = ("despite objections from residents", "after months of negotiations",
           "following a review of last year's figures", "in a vote that split the coalition",
           "a decision critics called rushed", "ahead of the winter season",
           "weeks before the budget deadline", "after an independent inquiry",
           "without a public consultation", "under pressure from local businesses")
OPINIONS = ("It is tempting to treat this as a technical matter, but it is nothing of the sort.",
            "Nobody who has waited for a late bus in the rain will be surprised by these numbers.",
            "The question is not whether the money exists, but who decides how it is spent.",
            "Those who defend the plan rarely have to live with its consequences.",
            "History suggests that promises of this kind are easier to make than to keep.",
            "We should be honest about the trade-offs instead of pretending there are none.",
            "The debate has been louder than it has been useful.",
            "A better policy would start with the people it is meant to help.")


def _topic(rng: random.Random, subject: str) -> str:
    return rng.choice(TOPICS[subject])


def sentence(rng: random.Random, subject: str) -> str:
    """One sentence of news prose about `subject`."""
    person, role, org = rng.choice(PEOPLE), rng.choice(ROLES), rng.choice(ORGS)
    topic, city = _topic(rng, subject), rng.choice(CITIES)
    n, m = rng.randint(3, 97), rng.randint(2, 40)
    return rng.choice((
        f"{org.capitalize()} {rng.choice(VERBS)} plans for {topic} in {city} on "
        f"{rng.choice(DAYS)}, {rng.choice(CLAUSES)}.",
        f"\u201cWe have been asking for this for {m} years,\u201d said {person}, {role}.",
        f"According to figures published by {org}, spending on {topic} rose by {n} percent "
        f"between {2010 + m % 12} and {2020 + n % 6}.",
        f"{person}, {role}, said the changes to {topic} would affect about {n * 1000:,} people "
        f"in {city} alone.",
        f"Critics argue that {topic} has been underfunded for a decade, and that the new money "
        f"will not reach {city} before {rng.choice(MONTHS)}.",
        f"In {city}, where {n} percent of households depend on {topic}, the reaction was mixed.",
        f"\u201cThe numbers do not add up,\u201d {person} told reporters, adding that {org} had "
        f"not published its full assessment.",
        f"The proposal, first drafted in {rng.choice(MONTHS)}, would cost about {m} million "
        f"euros over {n % 9 + 2} years.",
        f"Officials at {org} declined to say when a final decision on {topic} would be made.",
        f"Similar schemes in {rng.choice(CITIES)} and {rng.choice(CITIES)} were dropped after "
        f"{m} months, {rng.choice(CLAUSES)}.",
        f"A survey of {n * 10} residents found that {m + 20} percent supported changes to "
        f"{topic}, while {n % 30 + 5} percent were opposed.",
        f"{person} said the plan for {topic} was \u201ca first step, not a solution\u201d.",
    ))


def paragraph(rng: random.Random, subject: str, sentences: tuple[int, int] = (2, 4)) -> str:
    return " ".join(sentence(rng, subject) for _ in range(rng.randint(*sentences)))


def english(rng: random.Random, paragraphs: int, subject: str | None = None,
            opinion: bool = False) -> list[str]:
    """Paragraphs of an English article; an opinion piece mixes in the writer's own views."""
    subject = subject or rng.choice(sorted(TOPICS))
    out = []
    for i in range(paragraphs):
        text = paragraph(rng, subject)
        if opinion and i % 2 == 0:
            text = rng.choice(OPINIONS) + " " + text
        out.append(text)
    return out


def headline(rng: random.Random, subject: str | None = None) -> str:
    subject = subject or rng.choice(sorted(TOPICS))
    topic, city = _topic(rng, subject), rng.choice(CITIES)
    text = rng.choice((f"{city} council {rng.choice(VERBS)} {topic} plan",
                       f"Why {topic} in {city} matter more than ever",
                       f"What the new rules on {topic} mean for {city}",
                       f"{city} residents divided over {topic}"))
    return text[0].upper() + text[1:]


# -- other scripts ------------------------------------------------------------------------------

JA_CITIES = ("札幌", "仙台", "横浜", "名古屋", "京都", "神戸", "広島", "福岡", "那覇", "金沢")
JA_TOPICS = ("路面電車の延伸", "保育所の定員", "水道料金の改定", "市立病院の再編", "防災計画の見直し",
             "観光税の導入", "バス路線の廃止", "学校給食の無償化")
JA_PATTERNS = (
    "{city}市は{day}、{topic}に関する新たな計画を発表した。",
    "市の担当者によると、{topic}には今後{n}年間で約{m}億円がかかる見通しだという。",
    "{topic}をめぐっては、住民の間で賛否が分かれている。",
    "市議会では{day}、{topic}について{n}時間にわたる議論が行われた。",
    "専門家は「{topic}は長期的な視点で考える必要がある」と指摘している。",
    "昨年の調査では、市民の{p}パーセントが{topic}に賛成と答えた。",
    "{city}市の市長は記者会見で「丁寧に説明を続けたい」と述べた。",
    "近隣の自治体でも、{topic}を検討する動きが広がっている。",
)
ZH_CITIES = ("杭州", "成都", "西安", "厦门", "青岛", "苏州", "长沙", "昆明", "大连", "武汉")
ZH_TOPICS = ("地铁新线", "老旧小区改造", "垃圾分类", "公立医院改革", "农村道路建设", "学前教育",
             "空气质量", "公共自行车")
ZH_PATTERNS = (
    "{city}市政府{day}宣布了关于{topic}的新计划。",
    "据官方介绍，{topic}预计在未来{n}年内投入约{m}亿元。",
    "不少市民表示，{topic}与日常生活密切相关。",
    "专家认为，{topic}需要兼顾效率与公平。",
    "去年的调查显示，{p}%的受访者支持推进{topic}。",
    "{city}市有关部门表示，将广泛听取社会各界的意见。",
    "目前，周边多个城市也在研究{topic}的具体方案。",
)
RU_CITIES = ("Казань", "Самара", "Пермь", "Томск", "Иркутск", "Воронеж", "Тверь", "Калуга",
             "Ярославль", "Омск")
RU_TOPICS = ("ремонт дорог", "тарифы на отопление", "новая линия трамвая", "строительство школ",
             "вывоз мусора", "очереди в поликлиниках", "цены на жильё", "реконструкция набережной")
RU_PATTERNS = (
    "Власти города {city} в {day} объявили о новом плане: {topic}.",
    "По словам чиновников, на эту программу ({topic}) потратят около {m} млн рублей за {n} года.",
    "Жители города {city} разделились во мнениях: {topic} волнует многих.",
    "«Мы ждали этого {n} лет», — рассказал один из местных жителей.",
    "Согласно опросу, {p} процентов горожан считают, что {topic} — главная проблема.",
    "Эксперты предупреждают, что сроки могут сдвинуться ещё на {n} месяцев.",
    "В мэрии пообещали опубликовать подробный отчёт до конца года.",
    "Депутаты городской думы обсуждали этот вопрос почти {n} часа.",
)
SCRIPTS = {
    "ja": (JA_CITIES, JA_TOPICS, JA_PATTERNS, ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日"), ""),
    "zh": (ZH_CITIES, ZH_TOPICS, ZH_PATTERNS, ("周一", "周二", "周三", "周四", "周五"), ""),
    "ru": (RU_CITIES, RU_TOPICS, RU_PATTERNS, ("понедельник", "вторник", "среду", "четверг",
                                               "пятницу"), " "),
}


def foreign(rng: random.Random, lang: str, paragraphs: int) -> list[str]:
    """Paragraphs in Japanese, Chinese or Russian, from that language's patterns."""
    cities, topics, patterns, days, joiner = SCRIPTS[lang]
    city, topic = rng.choice(cities), rng.choice(topics)
    out = []
    for _ in range(paragraphs):
        picks = rng.sample(patterns, rng.randint(2, 3))
        out.append(joiner.join(p.format(city=city, topic=topic, day=rng.choice(days),
                                        n=rng.randint(2, 9), m=rng.randint(3, 90),
                                        p=rng.randint(20, 80)) for p in picks))
    return out


def foreign_headline(rng: random.Random, lang: str) -> str:
    cities, topics = SCRIPTS[lang][:2]
    city, topic = rng.choice(cities), rng.choice(topics)
    return {"ja": f"{city}市、{topic}で新計画", "zh": f"{city}推进{topic}新计划",
            "ru": f"{city}: {topic} — новый план властей"}[lang]
