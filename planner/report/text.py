"""The wording of the half-year summary: the seed's six sections, in its order and tone.

Chinese text is written here once, in Traditional characters like the
federation's own summary, and converted for Simplified; English is written
alongside. A sentence is a template in which ``{area.figure}`` stands for a
figure and ``{@word}`` for a word of the period (``上半年``, ``6月底``).

When none of a sentence's figures has records, the whole sentence becomes
"<topic>: no records in this period"; when only some lack records, each of
those says so in place of its number. No number is ever made up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from planner.report.figures import Figure, Period
from planner.report.model import MONTHS_EN, FigureRef, FigureText, Paragraph, Part, Section, no_records_words, zh

TOKEN = re.compile(r"\{([@A-Za-z0-9_.]+)\}")
NAME_KEYS = ("federation.district", "federation.city")


@dataclass(frozen=True)
class Sentence:
    """One sentence in both languages, with the topic that replaces it when nothing is recorded."""

    topic_zh: str
    topic_en: str
    zh: str
    en: str


def _period_words(period: Period) -> dict[str, dict[str, str]]:
    """Words that name the period in the text, by language."""
    s, e = period.start, period.end
    half1 = s == date(s.year, 1, 1) and e == date(s.year, 6, 30)
    half2 = s == date(s.year, 7, 1) and e == date(s.year, 12, 31)
    whole = s == date(s.year, 1, 1) and e == date(s.year, 12, 31)
    if half1:
        word_zh, word_en, title_en = "上半年", "In the first half of the year", f"the First Half of {s.year}"
    elif half2:
        word_zh, word_en, title_en = "下半年", "In the second half of the year", f"the Second Half of {s.year}"
    elif whole:
        word_zh, word_en, title_en = "今年", "This year", str(s.year)
    else:
        word_zh = f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"
        word_en = f"From {s.day} {MONTHS_EN[s.month - 1]} {s.year} to {e.day} {MONTHS_EN[e.month - 1]} {e.year}"
        title_en = f"{s.day} {MONTHS_EN[s.month - 1]} {s.year} to {e.day} {MONTHS_EN[e.month - 1]} {e.year}"
    month_end = (e + timedelta(days=1)).day == 1
    end_zh = f"{e.month}月底" if month_end else f"{e.month}月{e.day}日"
    end_en = f"the end of {MONTHS_EN[e.month - 1]}" if month_end else f"{e.day} {MONTHS_EN[e.month - 1]}"
    return {
        "zh": {"period": word_zh, "end": end_zh, "year": str(e.year), "end_date": f"{e.month}月{e.day}日"},
        "en": {
            "period": word_en,
            "period_lower": word_en[0].lower() + word_en[1:],
            "end": end_en,
            "year": str(e.year),
            "end_date": f"{e.day} {MONTHS_EN[e.month - 1]}",
            "title": title_en,
        },
    }


class Writer:
    """Builds paragraphs in one language from sentences and figures."""

    def __init__(self, lang: str, figures: dict[str, Figure], period: Period) -> None:
        self.lang = lang
        self.figures = figures
        self.period = period
        words = _period_words(period)
        self.words = words["en"] if lang == "en" else words["zh"]

    def has(self, key: str) -> bool:
        return self.figures[key].has_records

    def value(self, key: str) -> object:
        return self.figures[key].value

    def words_of(self, text: str) -> str:
        return text if self.lang == "en" else zh(text, self.lang)

    def parts(self, template: str) -> list[Part]:
        """A template's text and figure references (``{@word}`` filled in)."""
        out: list[Part] = []
        pos = 0
        for m in TOKEN.finditer(template):
            if m.start() > pos:
                out.append(self.words_of(template[pos : m.start()]))
            name = m.group(1)
            if name.startswith("@"):
                out.append(self.words_of(self.words[name[1:]]))
            else:
                if name not in self.figures:  # pragma: no cover - template error
                    raise KeyError(f"the text names an unknown figure {name}")
                out.append(FigureRef(name))
            pos = m.end()
        if pos < len(template):
            out.append(self.words_of(template[pos:]))
        return out

    def sentence(self, s: Sentence) -> list[Part]:
        """The sentence, or its "no records" form when none of its figures has records."""
        template = s.en if self.lang == "en" else s.zh
        keys = [m.group(1) for m in TOKEN.finditer(template) if not m.group(1).startswith("@")]
        counted = [k for k in keys if k not in NAME_KEYS]
        if counted and not any(self.has(k) for k in counted):
            if self.lang == "en":
                return [f"{s.topic_en}: {no_records_words('en')}. "]
            return [self.words_of(f"{s.topic_zh}：") + no_records_words(self.lang) + self.words_of("。")]
        return self.parts(template)

    def paragraph(self, *items: Sentence | str | list[Part] | None) -> Paragraph:
        parts: list[Part] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, Sentence):
                parts += self.sentence(item)
            elif isinstance(item, str):
                parts.append(self.words_of(item))
            else:
                parts += item
        if self.lang == "en" and parts and isinstance(parts[-1], str):
            parts[-1] = parts[-1].rstrip()
        return Paragraph(parts)


# ------------------------------------------------------------------ sections


def title_and_subtitle(w: Writer, federation_name: tuple[str, str] | None) -> tuple[str, str]:
    p = w.period
    if w.lang == "en":
        title = f"District Disabled Persons' Federation: Work Summary for {w.words['title']}"
        who = federation_name[1] if federation_name else "District Disabled Persons' Federation"
        return title, f"{who} · {p.start.isoformat()} to {p.end.isoformat()}"
    word = w.words["period"]
    title = f"區殘聯的{word}工作總結" if word in ("上半年", "下半年") else f"區殘聯{word}工作總結"
    who = federation_name[0] if federation_name else "區殘聯"
    sub = f"{who} · {p.start.year}年{p.start.month}月{p.start.day}日至{p.end.year}年{p.end.month}月{p.end.day}日"
    return w.words_of(title), w.words_of(sub)


def intro(w: Writer) -> list[Paragraph]:
    return [
        w.paragraph(
            Sentence(
                "工作概況",
                "Overview",
                "{@period}，我區的殘疾人工作在區委、區政府的正確領導下，圍繞{federation.district}率先實現殘疾人奔小康和創建全國殘疾人工作模範城的總體工作目標和區委、區政府的中心工作，全面開展殘疾人就業、康復、社會保障、文體、維權等各項工作，主要體現在以下六個方面。",
                "{@period}, under the leadership of the district Party committee and government, the disabled people's work of {federation.district} pursued the goals of leading the way to a decent standard of living for disabled people and of becoming a national model city for disabled people's work, covering employment, rehabilitation, social security, culture and sport, and the protection of rights. It shows in the following six areas. ",
            )
        )
    ]


def social_environment(w: Writer) -> Section:
    p1 = w.paragraph(
        Sentence(
            "領導關心",
            "Leaders' attention",
            "{federation.district}的殘疾人工作得到了區委、區人大、區政府、區政協領導的重視和關心，",
            "The disabled people's work of {federation.district} has the attention and care of the leaders of the district Party committee, People's Congress, government and CPPCC. ",
        ),
        Sentence(
            "走訪慰問",
            "Outreach visits",
            "各級領導在春節等傳統節日及助殘日期間深入{outreach.visits}戶貧困殘疾人家庭、殘疾兒童及有關單位進行走訪慰問，慰問金額達{outreach.amount_cny}萬元。",
            "During the Spring Festival, other traditional festivals and the Help-the-Disabled Day, leaders at every level visited {outreach.visits} poor households of disabled people, disabled children and units, handing over condolence funds of {outreach.amount_cny}. ",
        ),
    )
    visits = (
        (
            w.parts("走訪慰問（{outreach.help_day_visits}戶）、")
            if w.lang != "en"
            else w.parts("outreach visits ({outreach.help_day_visits} households), ")
        )
        if w.has("outreach.help_day_visits")
        else []
    )
    day_zh = "特別在今年的第{awareness.help_day_edition}次“全國助殘日”、{federation.city}市第{awareness.help_week_edition}個助殘週期間，區殘聯、各有關單位、基層殘聯分別以“{awareness.theme}”爲主題，開展了"
    day_en = 'In particular, during the {awareness.help_day_edition} National Help-the-Disabled Day and the {awareness.help_week_edition} Help-the-Disabled Week of {federation.city}, the federation, the departments concerned and the grass-roots federations held, under the theme "{awareness.theme}", '
    rest_zh = "{awareness.activities}等形式多樣、內容豐富、各具特色的活動，使廣大殘疾人走出家庭、融入社會，在全社會營造了理解、幫助、尊重、關心殘疾人，支持殘疾人事業的社會氛圍。"
    rest_en = "{awareness.activities}: varied activities that brought disabled people out of their homes and into society, and built a climate of understanding, help, respect and care for disabled people."
    if w.has("awareness.help_day_edition") or w.has("awareness.help_week_edition") or w.has("awareness.activities"):
        p2 = w.paragraph(
            w.parts(day_en if w.lang == "en" else day_zh), visits, w.parts(rest_en if w.lang == "en" else rest_zh)
        )
    else:
        p2 = w.paragraph(
            Sentence(
                "助殘日活動", "Help-the-Disabled Day activities", "{awareness.activities}", "{awareness.activities}"
            )
        )
    return Section(
        "social_environment",
        w.words_of("一、社會環境有新的改善。") if w.lang != "en" else "1. A better social environment",
        [p1, p2],
    )


def games(w: Writer) -> Section:
    opening = w.value("games.opening")
    future = isinstance(opening, date) and opening > w.period.end
    if isinstance(opening, date):
        when_zh = (
            f"今年{opening.month}月" if opening.year == w.period.end.year else f"{opening.year}年{opening.month}月"
        )
        when_en = f"In {MONTHS_EN[opening.month - 1]} {opening.year}"
    else:
        when_zh, when_en = "", ""
    coming_zh = (
        f"{when_zh}將有來自{{games.countries}}個國家和地區的{{games.athletes}}名特奧運動員、{{games.coaches}}名教練員和{{games.volunteers}}名志願者到{{federation.city}}參加{{games.event_name}}的{{games.sports}}比賽。"
        if future
        else f"{when_zh}，來自{{games.countries}}個國家和地區的{{games.athletes}}名特奧運動員、{{games.coaches}}名教練員和{{games.volunteers}}名志願者在{{federation.city}}參加了{{games.event_name}}的{{games.sports}}比賽。"
    )
    coming_en = (
        f"{when_en}, {{games.athletes}} Special Olympics athletes and {{games.coaches}} coaches from {{games.countries}} countries and regions, with {{games.volunteers}} volunteers, will come to {{federation.city}} for the {{games.sports}} competitions of the {{games.event_name}}. "
        if future
        else f"{when_en}, {{games.athletes}} Special Olympics athletes and {{games.coaches}} coaches from {{games.countries}} countries and regions, with {{games.volunteers}} volunteers, took part in {{federation.city}} in the {{games.sports}} competitions of the {{games.event_name}}. "
    )
    p1 = w.paragraph(
        Sentence("特奧會參賽規模", "Games participants", coming_zh, coming_en),
        Sentence(
            "賽區籌備",
            "Preparation of the venue district",
            "區委、區政府領導非常重視{games.year}年{federation.city}世界特奧會{federation.district}賽區的工作，要求做到“圓滿成功、萬無一失”，並要求各相關部門形成合力，舉全區之力辦好這次盛會。",
            "The district's leaders give great weight to the {federation.district} competition area of the {games.year} {federation.city} World Games, asking for complete success with nothing left to chance, and for every department to pull together. ",
        ),
    )
    p2 = w.paragraph(
        Sentence(
            "執委會運作",
            "Executive committee",
            "{@period}，特奧會{federation.district}執委會於{games.committee_operational_on}進入實體化運作；",
            "{@period}, the {federation.district} executive committee of the Games began working as a body on {games.committee_operational_on}. ",
        ),
        Sentence(
            "工作方案",
            "Work plans",
            "{games.plan_areas}等{games.plans_formed}個工作方案基本形成，並不斷進行優化和完善，截至{@end_date}到期的{games.tasks_due}項任務已完成{games.tasks_done}項；",
            "The {games.plans_formed} work plans for {games.plan_areas} have basically taken shape and are being refined; of the {games.tasks_due} tasks due by {@end_date}, {games.tasks_done} are done. ",
        ),
        Sentence(
            "場館改造",
            "Venue renovation",
            "{games.venues}個比賽場館的改造有序推進，平均完成{games.renovation_pct}%；",
            "Renovation of the {games.venues} competition venues is under way, on average {games.renovation_pct}% complete. ",
        ),
        Sentence(
            "接待賓館",
            "Reception hotels",
            "開展對特奧接待賓館的摸底和評估工作，確定了{games.hotels_approved}個賓館（招待所）{games.beds_approved}個牀位；",
            "After surveying and assessing the reception hotels, {games.hotels_approved} hotels (guest houses) with {games.beds_approved} beds were approved. ",
        ),
        Sentence(
            "動員大會",
            "Mobilisation rally",
            "於{games.rally_prepared_on}做好了{federation.district}迎接{games.year}年世界特奧會動員大會籌備工作；",
            "The {federation.district} mobilisation rally for the {games.year} World Games was prepared by {games.rally_prepared_on}. ",
        ),
        Sentence(
            "培訓和宣傳",
            "Training and publicity",
            "同時廣泛開展各類培訓{games.trainings}期、{games.training_participants}人次，舉辦{games.publicity_names}等{games.publicity_events}場系列活動，讓特奧宣傳走進社區、走進社區居民、走進學生，使廣大市民進一步瞭解、關心、支持、參與特奧會。",
            "{games.trainings} training sessions reached {games.training_participants} participants, and {games.publicity_events} events ({games.publicity_names}) took the Games into the communities, to residents and to students. ",
        ),
        Sentence(
            "倒計時",
            "Countdown",
            "距特奧會開幕還有{games.days_to_opening}天。",
            "{games.days_to_opening} days remain until the opening. ",
        )
        if future
        else None,
    )
    return Section(
        "games",
        w.words_of("二、特奧會工作得到全面推進。")
        if w.lang != "en"
        else "2. Special Olympics preparations moving ahead on every front",
        [p1, p2],
    )


def employment(w: Writer) -> Section:
    p1 = w.paragraph(
        Sentence(
            "分散就業",
            "Scattered employment",
            "爲完成殘疾人就業和保障的工作目標，我們制定了《關於進一步加強{federation.district}殘疾人分散安排就業工作的試行意見》，規範和促進殘疾人分散就業工作。",
            "To reach our employment and security goals we issued trial guidance on strengthening scattered employment of disabled people in {federation.district}. ",
        ),
        Sentence(
            "推薦安置就業",
            "Job placements",
            "{@period}，我們積極向有安置意向的單位推薦安置{employment.placements}名殘疾人就業。",
            "{@period}, we placed {employment.placements} disabled people in jobs with employers willing to take them on. ",
        ),
        Sentence(
            "殘疾人就業保障金徵收",
            "Employment-security levy collected",
            "全徵差退殘疾人就業保障金單位{levy.units_paid}家，累計金額{levy.amount_cny}萬元。",
            "{levy.units_paid} employers paid the employment-security levy in full (the difference refunded later), {levy.amount_cny} in all. ",
        ),
        Sentence(
            "殘保金催繳",
            "Levy chased",
            "與區府督導辦一起對{levy.units_chased}家不依法繳納殘保金的單位進行了催繳，催繳殘保金{levy.recovered_cny}萬元。",
            "With the district government's supervision office we chased {levy.units_chased} employers that had not paid the levy, recovering {levy.recovered_cny}. ",
        ),
    )
    month = FigureRef("medical_insurance.month") if w.has("medical_insurance.month") else None
    insurance_zh = "{medical_insurance.month}" if month else "{@period}"
    insurance_en = "{medical_insurance.month}" if month else "{@period_lower}"
    p2 = w.paragraph(
        Sentence(
            "農村社會保障",
            "Rural social security",
            "今年我們根據{federation.district}經濟發展和城市化不斷加快的現狀，根據區政府分管領導的要求，進一步提高農村殘疾人的社會保障水平。",
            "Given the fast economic growth and urbanisation of {federation.district}, and as the district government asked, we are raising the social security of rural disabled people. ",
        ),
        Sentence(
            "重殘無業人員社會保障",
            "Social-security support",
            "按政策規定{@period}審覈批准{social_security.approved}名重殘無業人員享受社會保障，至{@end}，目前共有{social_security.enrolled}人享受政策，扶助金額{social_security.paid_cny}萬元。",
            "{@period}, {social_security.approved} severely disabled people without work were approved for social-security support; at {@end}, {social_security.enrolled} people receive it, and {social_security.paid_cny} was paid. ",
        ),
        Sentence(
            "慈善醫療卡",
            "Charity Medical Cards",
            "發放《慈善醫療卡》{charity_cards.issued}張，發放金額{charity_cards.amount_cny}萬元。",
            "{charity_cards.issued} Charity Medical Cards worth {charity_cards.amount_cny} were issued. ",
        ),
        Sentence(
            "基本醫療保障",
            "Basic medical insurance",
            insurance_zh + "對全區{medical_insurance.enrolled}名城鎮重殘無業人員納入基本醫療保障辦理享受醫保手續。",
            "{medical_insurance.enrolled} urban severely disabled people without work were enrolled in basic medical insurance "
            + insurance_en
            + ". ",
        ),
        Sentence(
            "職業培訓",
            "Vocational training",
            "舉辦了{training.course_names}等培訓班{training.courses}期，有{training.participants}名殘疾人參加了培訓，有{training.certified}名殘疾人經培訓獲得了資格證書。",
            "We ran {training.courses} training courses ({training.course_names}) for {training.participants} disabled people, {training.certified} of whom gained a qualification certificate.",
        ),
    )
    return Section(
        "employment",
        w.words_of("三、勞動就業和社會保障工作有新的進展。")
        if w.lang != "en"
        else "3. Progress in employment and social security",
        [p1, p2],
    )


def sunshine(w: Writer) -> Section:
    p = w.paragraph(
        Sentence(
            "陽光之家",
            "Sunshine Homes",
            "全區{sunshine.homes}家“陽光之家”的功能得到進一步完善，共有學員{sunshine.trainees}名，長效管理機制進一步健全，殘疾人生活適應能力、簡單勞動能力和社會交往能力有了明顯提高。",
            "The {sunshine.homes} Sunshine Homes of the district, with {sunshine.trainees} trainees, work better and are run on a lasting footing; trainees' daily living, simple work and social skills have clearly improved. ",
        ),
        Sentence(
            "陽光工場",
            "Sunshine Workshop",
            "{sunshine.workshops}已初具規模，吸納{sunshine.workshop_jobs}名智障人士就業。",
            "{sunshine.workshops} has taken shape and employs {sunshine.workshop_jobs} people with intellectual disabilities. ",
        ),
        Sentence(
            "迎特奧活動",
            "Games activities",
            "開展自編《{sunshine.books}》書籍等迎特奧活動。",
            'Trainees wrote the book "{sunshine.books}" for the Games. ',
        ),
        Sentence(
            "宣傳冊",
            "Brochures",
            "編寫印刷{sunshine.brochure_titles}{sunshine.brochure_copies}冊，",
            "{sunshine.brochure_copies} copies of the {sunshine.brochure_titles} were printed, ",
        ),
        Sentence(
            "簡報",
            "Bulletin",
            "創辦“{sunshine.bulletins}”簡報，讓社會更瞭解“陽光之家”。",
            'and the bulletin "{sunshine.bulletins}" was launched, so that the public knows the Sunshine Homes better. ',
        ),
        Sentence(
            "職業技能競賽",
            "Skills competition",
            "在{skills.competitions}中，有{skills.entrants}名殘疾人參加了{skills.events}個項目的比賽，其中有{skills.sunshine_entrants}名“陽光之家”智障學員參與競賽。",
            "In the {skills.competitions}, {skills.entrants} disabled people competed in {skills.events} events, {skills.sunshine_entrants} of them Sunshine Home trainees. ",
        ),
        Sentence(
            "作品義賣",
            "Charity sales",
            "區殘聯及各鎮、街道基層殘聯組織“陽光之家”智障人士作品展示義賣活動{sales.events}場，有{sales.kinds}種{sales.items}件作品進行了義賣。",
            "The federation and the grass-roots federations held {sales.events} charity sales of trainees' works, selling {sales.items} pieces of {sales.kinds} kinds.",
        ),
    )
    return Section(
        "sunshine_homes",
        w.words_of("四、“陽光之家”管理有新的完善。") if w.lang != "en" else "4. Better-run Sunshine Homes",
        [p],
    )


def rehab(w: Writer) -> Section:
    p = w.paragraph(
        Sentence(
            "陽光寶寶卡",
            "Children's rehabilitation cards",
            "{@year}年市府實事項目“殘疾兒童康復救助”順利實施，在政策宣傳、調查摸底的基礎上爲在康復機構接受訓練的{rehab.child_rehab_card}名殘疾兒童發放了“陽光寶寶卡”。",
            "The city government's {@year} project of rehabilitation aid for disabled children went ahead: after publicity and a survey, {rehab.child_rehab_card} disabled children in training at rehabilitation centres received a Sunshine Baby Card. ",
        ),
        Sentence(
            "輔助器具",
            "Assistive devices",
            "爲殘疾人個性化配發輔助器具工作試點實施，配發{rehab.assistive_device}人次。",
            "The pilot of fitting assistive devices to each person's needs served {rehab.assistive_device} people. ",
        ),
        Sentence(
            "康復補貼",
            "Rehabilitation subsidies",
            "審批{rehab.cataract_surgery}名白內障患者享受復明手術經費補貼、爲{rehab.hearing_aid}名聽力殘疾人免費配發助聽器、{rehab.foster_care}名重殘無業人員到寄養機構寄養、{rehab.cochlear_implant}名聾人享受安裝人工耳蝸費用補貼、{rehab.prosthesis}名肢體殘疾人享受假肢費用補貼，",
            "We approved cataract-surgery subsidies for {rehab.cataract_surgery} people, fitted free hearing aids for {rehab.hearing_aid}, placed {rehab.foster_care} severely disabled people in foster care, subsidised cochlear implants for {rehab.cochlear_implant} deaf people and prostheses for {rehab.prosthesis} people; ",
        ),
        Sentence(
            "健康體檢",
            "Health checks",
            "組織{health.batches}批{health.people}名殘疾人參加了健康體檢，",
            "{health.people} disabled people had health checks in {health.batches} groups; ",
        ),
        Sentence(
            "殘車年檢",
            "Vehicle inspections",
            "有{vehicles.inspected}輛殘疾人專用車參加了{@year}年殘車年檢，年檢率達{vehicles.inspection_rate}%。",
            "{vehicles.inspected} disabled people's vehicles passed the {@year} annual inspection, an inspection rate of {vehicles.inspection_rate}%.",
        ),
    )
    return Section(
        "rehab", w.words_of("五、康復工作有新的拓展。") if w.lang != "en" else "5. Rehabilitation reaching further", [p]
    )


def stability(w: Writer) -> Section:
    p1 = w.paragraph(
        "我們按照市殘聯穩定工作會議精神，先後召開基層殘聯幹部、專門協會負責人等各類會議，聽取基層殘聯和殘疾人的呼聲，瞭解存在的困難和問題，掌握殘疾人中存在的不穩定因素，主動把矛盾化解在萌芽狀態。"
        if w.lang != "en"
        else "Following the city federation's meeting on stability, we held meetings with grass-roots federation staff and the heads of the special associations, heard grass-roots federations and disabled people, learnt of their difficulties and settled conflicts early."
    )
    rates = ("petitions.letters_resolved_pct", "petitions.visits_resolved_pct", "petitions.phone_resolved_pct")
    present = [k for k in rates if w.has(k)]
    if present and len({w.value(k) for k in present}) == 1:
        rate_zh, rate_en = (
            "辦結率均爲{petitions.resolved_pct}%，",
            "all of them resolved at a rate of {petitions.resolved_pct}%. ",
        )
    else:
        rate_zh = "辦結率分別爲{petitions.letters_resolved_pct}%、{petitions.visits_resolved_pct}%和{petitions.phone_resolved_pct}%，"
        rate_en = "resolved at rates of {petitions.letters_resolved_pct}%, {petitions.visits_resolved_pct}% and {petitions.phone_resolved_pct}%. "
    parts: list[Part | Sentence] = [
        Sentence(
            "信訪",
            "Petitions",
            "{@period}，共受理來信{petitions.letters}件，接待來訪{petitions.visit_batches}批{petitions.visit_people}人次，受理電話諮詢{petitions.phone_people}人次，",
            "{@period}, we handled {petitions.letters} letters, received {petitions.visit_batches} visits by {petitions.visit_people} people and answered {petitions.phone_people} phone enquiries, ",
        ),
        Sentence("辦結率", "Resolution", rate_zh, rate_en),
    ]
    if w.has("petitions.escalated") and w.value("petitions.escalated") == 0 and w.value("petitions.collective") == 0:
        if w.lang == "en":
            parts += [
                FigureText("petitions.escalated", "No petition went above the district"),
                " and ",
                FigureText("petitions.collective", "there was no collective petition"),
                ". ",
            ]
        else:
            parts += [
                FigureText("petitions.escalated", w.words_of("無一例越級上訪")),
                w.words_of("和"),
                FigureText("petitions.collective", w.words_of("集訪事件")),
                "。",
            ]
    else:
        parts.append(
            Sentence(
                "越級上訪和集訪",
                "Escalations",
                "發生越級上訪{petitions.escalated}例、集訪{petitions.collective}例。",
                "{petitions.escalated} petitions went above the district and {petitions.collective} were collective. ",
            )
        )
    parts.append(
        Sentence(
            "助老養殘志願服務",
            "Volunteers for carer households",
            "有{carers.volunteers}名志願者爲{carers.households}戶“老養殘”家庭及單身重殘人員提供切實有效的服務，得到了殘疾人的歡迎和好評。",
            "{carers.volunteers} volunteers gave real help to {carers.households} households of elderly parents caring for a disabled child and of severely disabled people living alone, and were warmly welcomed.",
        )
    )
    flat: list[Part] = []
    for item in parts:
        flat += w.sentence(item) if isinstance(item, Sentence) else [item]
    p2 = w.paragraph(flat)
    title = w.words_of("六、維穩工作有新的加強。") if w.lang != "en" else "6. Stronger work for stability"
    return Section("stability", title, [p1, p2])


def write_sections(w: Writer) -> tuple[list[Paragraph], list[Section]]:
    """The introduction and the six sections, in the seed's order."""
    return intro(w), [social_environment(w), games(w), employment(w), sunshine(w), rehab(w), stability(w)]
