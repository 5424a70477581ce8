"""What pages, extractors and copyists do to an article's text, for the evaluation pairs.

Layout that never changes the article (list bullets, table pipes, metadata lines, joined
paragraphs); page furniture an extractor keeps (credit lines, "Click To Tweet", related links);
what an extractor loses that the page still shows (a sentence, an inline link's words, a second
body container); what copyists add (reader comments, commentary around quoted paragraphs,
another article's paragraphs, widgets, an editor's note).
"""

from __future__ import annotations

import random
import re

SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"”»]?\s+|(?<=[。！？])")
BYLINES = ("By Anna Berg", "By Tomas Ruiz and Mei Lin", "Staff reporter", "By Olu Adeyemi")
DATES = ("March 4, 2024", "Published 12 June 2024", "2024-09-30", "Updated Oct. 2, 2024 at 9:15")
CREDITS = ("(Reporting by Anna Berg; Editing by Tom Hill)", "Olu Adeyemi contributed to this report.",
           "Additional reporting by Mei Lin in Singapore.", "© 2024 The Daily Test. All rights "
           "reserved.", "This story has been updated with the minister's comments.")
FURNITURE = ("Share this article", "Sign up for our morning newsletter", "Related: Five Things "
             "to Know About the Budget", "Follow us on Facebook and Instagram", "Advertisement",
             "Read more: What the New Rules Mean for You")
COMMENTS = {
    "latin": (("Jon", "This is the first honest report on the subject I have read all week."),
              ("mwildfire", "I doubt the numbers. Who paid for this study anyway?"),
              ("dhinds", "The people affected were never asked. That says everything."),
              ("George Evans", "Same story every year, nothing changes until it is too late.")),
    "cyrillic": (("Иван", "Наконец-то хоть кто-то написал об этом честно."),
                 ("Марина", "Сомневаюсь в этих цифрах, кто их проверял?"),
                 ("Олег", "Каждый год одно и то же, ничего не меняется.")),
    "arabic": (("أحمد", "هذا أفضل تقرير قرأته عن هذا الموضوع."),
               ("سارة", "أشك في هذه الأرقام، من قام بالتحقق منها؟"),
               ("محمد", "نفس القصة كل عام ولا شيء يتغير.")),
    "cjk": (("小王", "这是我这周读到的最客观的报道。"), ("读者123", "这些数字是谁核实的？我表示怀疑。"),
            ("老李", "每年都是同样的问题，什么都没有改变。")),
    "hangul": (("민수", "이 문제에 대해 읽은 기사 중 가장 솔직한 기사입니다."),
               ("지영", "이 숫자들은 누가 확인했나요?"), ("철호", "매년 같은 이야기, 달라지는 것이 없네요.")),
}
COMMENTARY = {
    "latin": ("I have been following this story for a while, and this report finally puts the "
              "facts in one place.", "Read that paragraph again. It tells you almost everything "
              "about how these decisions get made.", "My own view is that nobody in charge has "
              "thought this through, and the public will pay for it.", "Here is the part that "
              "matters most, in my opinion.", "Make of it what you will. I know what I think."),
    "cyrillic": ("Я давно слежу за этой историей, и вот наконец хороший материал.",
                 "Перечитайте этот абзац ещё раз, в нём всё сказано.",
                 "По-моему, никто из ответственных об этом не подумал.",
                 "Вот самое важное место в статье."),
    "arabic": ("أتابع هذه القصة منذ فترة، وهذا التقرير يجمع الحقائق في مكان واحد.",
               "اقرأوا هذه الفقرة مرة أخرى، فهي تقول كل شيء.",
               "رأيي أن لا أحد من المسؤولين فكر في العواقب.", "هذا هو الجزء الأهم في رأيي."),
    "cjk": ("我一直在关注这件事，这篇报道终于把事实讲清楚了。", "请再读一遍这一段，它说明了一切。",
            "我认为负责的人根本没有认真考虑过这个问题。", "下面是我认为最重要的部分。"),
    "hangul": ("이 사안을 오래 지켜봤는데 이 기사가 사실을 잘 정리했습니다.",
               "이 문단을 다시 읽어 보세요. 모든 것이 담겨 있습니다.",
               "책임자들이 제대로 고민하지 않았다고 생각합니다.", "제가 보기에 가장 중요한 부분입니다."),
}
NOTES = {"latin": "Editor's note: we republish this report because our readers asked us to follow "
                  "the story, and we add our own comments below.",
         "cyrillic": "От редакции: мы публикуем этот материал по просьбе наших читателей.",
         "arabic": "ملاحظة المحرر: نعيد نشر هذا التقرير بناء على طلب قرائنا.",
         "cjk": "编者按：应读者要求，我们转载这篇报道，并附上我们的评论。",
         "hangul": "편집자 주: 독자들의 요청에 따라 이 기사를 다시 싣습니다."}


def sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCE_END.split(paragraph) if s and s.strip()]


def _is_line(p: str) -> bool:
    return p.startswith("- ") or " | " in p


def restyled(paras: list[str], rng: random.Random) -> str:
    """List bullets and table rows written another way: "•" items, Markdown table rows."""
    out, header_done = [], False
    for p in paras:
        if p.startswith("- "):
            out.append(rng.choice(("• ", "* ", "- ")) + p[2:])
        elif " | " in p:
            out.append("| " + p + " |")
            if not header_done:
                out.append("|" + "---|" * (p.count("|") + 1))
                header_done = True
        else:
            out.append(p)
    return "\n\n".join(out)


def numbers_restyled(text: str) -> str:
    """Thousands written without separators, "percent" as "%": formatting, not a change."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return text.replace(" percent", "%").replace(" per cent", "%")


def with_metadata(title: str, body: list[str], rng: random.Random) -> str:
    lines = ["# " + title if rng.random() < 0.5 else title, rng.choice(BYLINES), rng.choice(DATES)]
    return "\n\n".join([*lines, *body])


def joined(paras: list[str], rng: random.Random) -> str:
    """Two neighbouring prose paragraphs joined into one, another split at a sentence."""
    out = list(paras)
    prose = [k for k in range(1, len(out) - 1) if not _is_line(out[k]) and not _is_line(out[k + 1])]
    if prose:
        k = rng.choice(prose)
        out[k: k + 2] = [out[k] + " " + out[k + 1]]
    for k, p in enumerate(out):
        parts = sentences(p)
        if k and len(parts) >= 3 and not _is_line(p) and E_latin(p):
            out[k: k + 1] = [" ".join(parts[:1]), " ".join(parts[1:])]
            break
    return "\n\n".join(out)


def E_latin(text: str) -> bool:
    return sum("a" <= c.lower() <= "z" for c in text) > len(text) / 2


def furnished(paras: list[str], rng: random.Random, glued: bool = False) -> str:
    """The extracted text with credit lines and widget lines an extractor kept."""
    out = list(paras)
    out.insert(rng.randrange(2, max(3, len(out))), rng.choice(FURNITURE))
    out.append(rng.choice(CREDITS))
    if glued:  # a widget's words glued to the end of a sentence ("stress.Click To Tweet")
        k = rng.randrange(1, len(out) - 1)
        if out[k][-1:] in ".!?":
            out[k] = out[k] + "Click To Tweet"
    return "\n\n".join(out)


def page(title: str, body: list[str], rng: random.Random) -> str:
    """Everything the page shows: navigation, the article, furniture and the footer."""
    mid = max(1, len(body) // 2)
    lines = ["Skip to main content", "Home News Politics Business Sport Culture Opinion", title,
             rng.choice(BYLINES), rng.choice(DATES), *body[:mid], "Advertisement",
             "Related: Five Things to Know About the Budget", *body[mid:], rng.choice(CREDITS),
             "Share this article", "Sign up for our morning newsletter", "Most read",
             "Storm Brings Flooding to Coastal Towns", "© 2024 The Daily Test. All rights reserved."]
    return "\n".join(lines)


def lost_sentence(paras: list[str], rng: random.Random) -> str | None:
    """The extractor lost one sentence of a paragraph (a caption-like span, a quote box)."""
    found = [(k, s) for k, p in enumerate(paras) if len(parts := sentences(p)) >= 2
             for s in parts[1:]]
    if not found:
        return None
    k, s = rng.choice(found)
    out = list(paras)
    out[k] = out[k].replace(s, "", 1).strip()
    return "\n\n".join(out)


def lost_link(paras: list[str], rng: random.Random) -> str | None:
    """The extractor lost an inline link's words inside a sentence."""
    found = [(k, i) for k, p in enumerate(paras) if not _is_line(p) and len(w := p.split(" ")) > 12
             for i in range(3, len(w) - 4) if w[i].isalpha() and w[i + 1].isalpha()]
    if not found:
        return None
    k, i = rng.choice(found)
    words = paras[k].split(" ")
    out = list(paras)
    out[k] = " ".join(words[:i] + words[i + 2:])
    return "\n\n".join(out)


def lost_container(paras: list[str], rng: random.Random) -> str | None:
    """A second body container after a mid-article ad row was not kept: the end is missing."""
    if len(paras) < 4:
        return None
    cut = rng.randrange(len(paras) // 2 + 1, len(paras))
    return "\n\n".join(paras[:cut])


def dropped_lines(paras: list[str], rng: random.Random) -> str:
    """List items or table rows left out; prose articles lose one sentence instead."""
    lines = [k for k, p in enumerate(paras) if _is_line(p) and not p.startswith("Party")]
    out = list(paras)
    if len(lines) >= 3:
        for k in sorted(rng.sample(lines, 2), reverse=True):
            del out[k]
        return "\n\n".join(out)
    k = rng.choice([k for k in range(1, len(out)) if len(sentences(out[k])) >= 2] or [1])
    parts = sentences(out[k])
    if len(parts) >= 2:
        out[k] = " ".join(parts[1:]) if E_latin(out[k]) else "".join(parts[1:])
    else:
        del out[k]
    return "\n\n".join(out)


def comments(style: int, script: str, rng: random.Random) -> str:
    picked = rng.sample(COMMENTS[script], 3)
    if style == 0:
        lines = ["3 Comments"]
        for author, said in picked:
            lines += [f"• {author}", said, "Reply"]
        return "\n\n".join([*lines, "Leave a Reply"])
    if style == 1:
        return "\n\n".join(f"{author} says: {said}" for author, said in picked)
    return "\n\n".join(said for _, said in picked)


def first_words(comments_text: str, style: int) -> str:
    return comments_text.split("\n\n")[0 if style else 2]


def commentary(title: str, body: list[str], script: str, rng: random.Random,
               echo: bool = False):
    """A blog post quoting 2-4 of the article's paragraphs amid its own commentary; with `echo`
    the commentary repeats a few words of a paragraph it does not quote."""
    own = list(COMMENTARY[script])
    rng.shuffle(own)
    count = min(len(body), rng.randint(2, 4))
    quoted = sorted(rng.sample(range(len(body)), count))
    left = [k for k in range(len(body)) if k not in quoted and len(body[k].split()) > 8]
    if echo and script == "latin" and left:
        for n in range(1, len(own)):
            words = body[rng.choice(left)].split()
            at = rng.randrange(0, len(words) - 5)
            own[n] = (f'Elsewhere the piece says "{" ".join(words[at: at + 5])}", and I wonder '
                      "who checked that.")
    out = [title, own[0]]
    added = [own[0]]
    for n, k in enumerate(quoted):
        out.append(("> " if rng.random() < 0.5 else "") + body[k])
        if n + 1 < len(own):
            out.append(own[n + 1])
            added.append(own[n + 1])
    return "\n\n".join(out), tuple(added)


def interleaved(title: str, body: list[str], other: list[str], rng: random.Random):
    """Paragraphs of another article put between the original's paragraphs."""
    extra = rng.sample(other[1:], min(2, len(other) - 1))
    out = list(body)
    for p in extra:
        out.insert(rng.randrange(1, len(out)), p)
    return "\n\n".join([title, *out]), tuple(extra)


def widgets(title: str, body: list[str], rng: random.Random):
    out = ["IE 11 is not supported. For an optimal experience visit our site on another browser.",
           title, *body[:2], "Protesters gather outside the ministry on Monday CREDIT: AFP",
           *body[2:], "You Might Like", "Ten Photos From a Week of Protests",
           "Why the Vote Was Delayed Again"]
    return "\n\n".join(out), ("You Might Like",)


def editors_note(script: str) -> str:
    return NOTES[script]
