"""Generator of the labelled variant set for duplicate detection (Faker ja_JP dummies + variants).

People live at Shinjuku-style addresses (real town names, made-up numbers).  A *variant* of a person is
what the same person looks like on another list: variant kanji (old forms of the standard lists 齊/斉,
廣/広, 髙/高, 﨑/崎, and forms the lists do not give: 邊/辺, 齋/斎, 𠮷/吉), an ideographic variation selector
(葛󠄀), kana in hiragana or half-width, full-width or no spaces, Latin names in capitals, title case or full
width, addresses written 二丁目8番1号 / 2-8-1 / ２丁目８－１ with any dash look-alike (⁃ ‐ − ー ﹣ …), spaces
anywhere (東京都 新宿区), ケ/ヶ/が/ヵ in place names, the room as 304号室 / -304 / after the building name, 市ヶ谷/市谷 and 四ツ谷/四谷, accents (Nguyễn, García),
with or without the building, 号 left out, a kana typo.  Hard negatives: namesakes elsewhere in the ward,
family members at the same address (twins with one birth date among them), neighbours in other rooms.

    .venv/bin/python -m bench.variants          # rewrites bench/data/dup_*.csv (seeded, reproducible)
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, replace
from pathlib import Path

import jaconv
from faker import Faker

DATA = Path(__file__).resolve().parent / "data"

TOWNS = [
    "西新宿", "新宿", "歌舞伎町", "百人町", "大久保", "北新宿", "高田馬場", "西早稲田", "戸山", "若松町",
    "河田町", "余丁町", "市谷田町", "市谷本村町", "四谷", "信濃町", "南元町", "若葉", "須賀町", "左門町",
    "神楽坂", "早稲田鶴巻町", "弁天町", "榎町", "山吹町", "改代町", "下落合", "中落合", "上落合", "中井",
    "西落合", "高田馬場", "原町", "喜久井町", "馬場下町", "住吉町", "富久町", "新宿御苑", "霞ケ丘町", "内藤町",
    "霞ケ丘町", "霞ケ丘町",
]
BUILDINGS = ["コーポ", "ハイツ", "メゾン", "パレス", "レジデンス", "グランド", "シティ", "ヴィラ"]
KANJI_NUM = "〇一二三四五六七八九"
# common ↔ variant forms (the variant appears on the other list)
VARIANT_OF = {"高": "髙", "崎": "﨑", "辺": "邊", "斎": "齋", "沢": "澤", "島": "嶋", "浜": "濱", "広": "廣",
              "桜": "櫻", "国": "國", "真": "眞", "恵": "惠", "竜": "龍", "富": "冨", "吉": "𠮷", "実": "實",
              "斉": "齊", "柳": "栁", "徳": "德", "瀬": "瀨", "栄": "榮", "条": "條", "寿": "壽", "黒": "黑"}
# dash look-alikes written between address numbers (issue 15)
DASHES = ["-", "－", "‐", "‑", "‒", "–", "—", "―", "−", "⁃", "ー", "ｰ", "﹣", "─", "━", "˗"]
KE = "ケヶがヵ"
LATIN = [("SMITH", "スミス"), ("JOHNSON", "ジョンソン"), ("NGUYEN", "グエン"), ("GARCIA", "ガルシア"),
         ("KIM", "キム"), ("WANG", "ワン"), ("SILVA", "シルバ"), ("BROWN", "ブラウン"), ("TRAN", "チャン")]
LATIN_GIVEN = [("JOSE", "ホセ"), ("JOHN", "ジョン"), ("MARIA", "マリア"), ("ANH", "アイン"), ("WEI", "ウェイ"), ("ANA", "アナ"),
               ("MINH", "ミン"), ("DAVID", "デイビッド"), ("LINH", "リン"), ("SARAH", "サラ"), ("CARLOS", "カルロス")]


@dataclass(frozen=True)
class Rec:
    id: str
    last: str
    first: str
    last_kana: str
    first_kana: str
    birth: dt.date
    town: str
    chome: int
    ban: int
    go: int
    building: str  # e.g. "ハイツ西新宿 203"
    latin: bool = False

    @property
    def name(self) -> str:
        return f"{self.last} {self.first}" if self.latin else f"{self.last}　{self.first}"

    @property
    def kana(self) -> str:
        return f"{self.last_kana}　{self.first_kana}"

    def address(self, style: int = 0, with_building: bool = True, without_go: bool = False) -> str:
        c = KANJI_NUM[self.chome]
        if style == 0:
            core = f"{self.town}{c}丁目{self.ban}番{'' if without_go else f'{self.go}号'}"
        elif style == 1:
            core = f"{self.town}{self.chome}-{self.ban}" + ("" if without_go else f"-{self.go}")
        elif style == 2:
            core = jaconv.h2z(f"{self.town}{self.chome}丁目{self.ban}－" + ("" if without_go else f"{self.go}"),
                              digit=True, ascii=True)
        else:
            core = f"{self.town}{c}丁目{self.ban}番地" + ("" if without_go else f"の{self.go}")
        text = f"東京都新宿区{core}" if style != 1 else f"新宿区{core}"
        if with_building and self.building:
            text += ("　" if style == 2 else " ") + self.building
        return text

    def variant_address(self, rng: random.Random) -> str:
        """The address as another list writes it: every form of issue 15 and 19."""
        text = self.address(style=rng.randrange(4), with_building=rng.random() < 0.6,
                            without_go=rng.random() < 0.05)
        roll = rng.random()
        if self.building and roll < 0.25:  # the room without the building name, or with 号室
            bname, room = self.building.split(" ")
            core = f"{self.town}{self.chome}-{self.ban}-{self.go}"
            text = rng.choice([
                f"新宿区{core}-{room}",
                f"東京都新宿区{self.town}{KANJI_NUM[self.chome]}丁目{self.ban}番{self.go}号{room}号室",
                f"{core} {bname}{room}号室",
            ])
        if rng.random() < 0.3:  # a dash look-alike between the numbers
            dash = rng.choice(DASHES)
            text = "".join(dash if c == "-" and 0 < i < len(text) - 1 and text[i - 1].isdigit() else c
                           for i, c in enumerate(text))
        if "ケ" in text and rng.random() < 0.7:
            text = text.replace("ケ", rng.choice(KE))
        if rng.random() < 0.5:  # linking kana written or not: 市ヶ谷 / 市谷, 四ツ谷 / 四谷
            text = text.replace("市谷", rng.choice(["市ヶ谷", "市ケ谷"])).replace("四谷", rng.choice(["四ツ谷", "四ッ谷"]))
        if rng.random() < 0.3:  # spaces anywhere: between 都 and 区, in the town, around the numbers
            out = []
            for i, c in enumerate(text):
                out.append(c)
                nxt = text[i + 1] if i + 1 < len(text) else ""
                if nxt and not (c.isdigit() and nxt.isdigit()) and rng.random() < 0.15:
                    out.append(rng.choice([" ", "　"]))
            text = "".join(out)
        return text


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 75))


def make_person(fake: Faker, rng: random.Random, pid: str, *, town: str | None = None,
                address_of: Rec | None = None, last_of: Rec | None = None) -> Rec:
    female = rng.random() < 0.5
    first, first_kana, _ = fake.first_name_female_pair() if female else fake.first_name_male_pair()
    last, last_kana, _ = fake.last_name_pair()
    latin = False
    if last_of is not None:
        last, last_kana, latin = last_of.last, last_of.last_kana, last_of.latin
        if latin:
            first, first_kana = rng.choice(LATIN_GIVEN)
    elif rng.random() < 0.04:  # a foreign resident, registered in capitals
        (last, last_kana), (first, first_kana), latin = rng.choice(LATIN), rng.choice(LATIN_GIVEN), True
    if address_of is not None:
        return Rec(pid, last, first, last_kana, first_kana, _birth(rng), address_of.town, address_of.chome,
                   address_of.ban, address_of.go, address_of.building, latin)
    building = ""
    if rng.random() < 0.4:
        building = f"{rng.choice(BUILDINGS)}{rng.choice(TOWNS)} {rng.randint(1, 9)}0{rng.randint(1, 9)}"
    return Rec(pid, last, first, last_kana, first_kana, _birth(rng), town or rng.choice(TOWNS),
               rng.randint(1, 7), rng.randint(1, 30), rng.randint(1, 25), building, latin)


def _kana_typo(rng: random.Random, kana: str) -> str:
    chars = list(kana.replace("　", ""))
    i = rng.randrange(len(chars))
    chars[i] = rng.choice("アイウエオカキクケコサシスセソタチツテト")
    return "".join(chars)


def variant_row(rng: random.Random, r: Rec, new_id: str) -> dict[str, str]:
    """The same person as written on another list (at least one difference of form)."""
    name = r.name
    for common, var in VARIANT_OF.items():
        if common in name and rng.random() < 0.8:
            name = name.replace(common, var)
    if r.latin:
        name = rng.choice([name, name.title(), jaconv.h2z(name.title(), ascii=True), jaconv.h2z(name, ascii=True),
                           name.title().replace("Nguyen", "Nguyễn").replace("Garcia", "García").replace("Jose", "José")])
    elif rng.random() < 0.05:  # an ideographic variation selector after the first kanji (葛󠄀 …)
        name = name[0] + "\U000E0100" + name[1:]
    roll = rng.random()
    if roll < 0.3:
        name = name.replace("　", "")
    elif roll < 0.5:
        name = name.replace("　", " ")
    kana = r.kana
    k = rng.random()
    if k < 0.25:
        kana = jaconv.kata2hira(kana)
    elif k < 0.45:
        kana = jaconv.z2h(kana, kana=True).replace("\u3000", " ")
    elif k < 0.52:
        kana = _kana_typo(rng, kana)
    if rng.random() < 0.05 and not r.latin:  # a kanji the table does not fold (斉/斎, 祐/佑 …) or a mistyped one
        given = name.split("　")[-1].split(" ")[-1]
        if given:
            name = name[: len(name) - len(given)] + rng.choice("佑祐裕斉藤籐真智") + given[1:]
    address = r.variant_address(rng)
    birth = r.birth
    if rng.random() < 0.04:  # keyed in a few days off
        birth = birth + dt.timedelta(days=rng.choice([-3, -1, 1, 2, 10]))
    return {"id": new_id, "name": name, "name_kana": kana if rng.random() < 0.9 else "",
            "birth_date": birth.isoformat() if rng.random() < 0.8 else "", "postal_code": "",
            "address": address}


def plain_row(r: Rec, rng: random.Random) -> dict[str, str]:
    return {"id": r.id, "name": r.name, "name_kana": r.kana, "birth_date": r.birth.isoformat(),
            "postal_code": "", "address": r.address(style=0 if rng.random() < 0.7 else 1)}


def generate(*, n_left: int = 1000, n_right: int = 10000, share: float = 0.5, seed: int = 20261122
             ) -> tuple[list[dict[str, str]], list[dict[str, str]], list[tuple[str, str]]]:
    """(left rows, right rows, true pairs).  ``share`` of the left are variants of a right person."""
    rng = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    right: list[Rec] = []
    while len(right) < n_right:
        base = make_person(fake, rng, f"R{len(right) + 1:07d}")
        right.append(base)
        # households: family members and neighbours share the address
        if rng.random() < 0.3 and len(right) < n_right:
            member = make_person(fake, rng, f"R{len(right) + 1:07d}", address_of=base, last_of=base)
            if member.first != base.first:  # two people of one name in one flat cannot be told apart
                right.append(member)
    people = {(r.last, r.first, r.town, r.chome, r.ban, r.go) for r in right}
    left_rows: list[dict[str, str]] = []
    truth: list[tuple[str, str]] = []
    n_true = int(n_left * share)
    picks = rng.sample(right, n_true)
    for i, r in enumerate(picks):
        lid = f"L{i + 1:06d}"
        left_rows.append(variant_row(rng, r, lid))
        truth.append((lid, r.id))
    # hard negatives: a family member at the address of a right person, a namesake elsewhere, a neighbour
    i = n_true
    while len(left_rows) < n_left:
        i += 1
        lid = f"L{i:06d}"
        anchor = rng.choice(right)
        kind = rng.random()
        if kind < 0.35:
            other = make_person(fake, rng, lid, address_of=anchor, last_of=anchor)
            if (other.last, other.first, other.town, other.chome, other.ban, other.go) in people:
                continue  # that would be the same person as one on the right
            if rng.random() < 0.3:  # twins: one birth date
                other = replace(other, birth=anchor.birth)
        elif kind < 0.6:
            other = replace(make_person(fake, rng, lid), last=anchor.last, first=anchor.first,
                            last_kana=anchor.last_kana, first_kana=anchor.first_kana)
            if (other.town, other.chome, other.ban, other.go) == (anchor.town, anchor.chome, anchor.ban, anchor.go):
                continue
        elif kind < 0.75:
            other = replace(make_person(fake, rng, lid, address_of=anchor),
                            building=anchor.building[:-1] + str((int(anchor.building[-1]) % 9) + 1)
                            if anchor.building else "")
            if not anchor.building:
                continue
        else:
            other = make_person(fake, rng, lid)
        left_rows.append(variant_row(rng, other, lid))
    right_rows = [plain_row(r, rng) for r in right]
    return left_rows, right_rows, truth


FIELDS = ["id", "name", "name_kana", "birth_date", "postal_code", "address"]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    left, right, truth = generate()
    write_csv(DATA / "dup_left.csv", left)
    write_csv(DATA / "dup_right.csv", right)
    with (DATA / "dup_truth.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["left_id", "right_id"])
        w.writerows(truth)
    print(f"left {len(left)}, right {len(right)}, true pairs {len(truth)} → {DATA}")


if __name__ == "__main__":
    main()
