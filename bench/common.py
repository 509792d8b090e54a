"""Shared helpers for the benchmarks: Django setup, the data generator, machine facts, stats.

The generator streams realistic, valid organization rows straight to a CSV file (constant
memory), with names built from several independent parts so that they are mostly distinct:

    成都市 + 武侯区 + [簇桥街道] + 阳光[彩虹] + 社区服务中心

Kinds: ~80 % registered/direct (with a checksum-valid USCC from registry.uscc.make_uscc),
~15 % filed (unique filing number), ~5 % attached to a recent registered umbrella.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SERVICEPARK = ROOT / ".venv" / "bin" / "servicepark"
COLUMNS = (
    "uscc",
    "filing_number",
    "name",
    "name_en",
    "org_type",
    "registration_kind",
    "division_code",
    "address",
    "legal_representative",
    "founded_on",
    "fields",
    "umbrella_uscc",
    "phone",
)
SEED = 20260101


def django_setup() -> None:
    """Configure Django from DATABASE_URL with config.settings.local (as the CLI does)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- name parts ------------------------------------------------------------------------------

CORES = (
    "阳光 彩虹 暖心 益路 同行 星火 绿芽 乐龄 晨曦 青禾 善邻 微光 知行 春晖 心桥 安康 和睦 "
    "爱心 友善 互助 向阳 启明 馨家 康乐 福寿 长青 夕阳红 映山红 向日葵 蒲公英 紫荆 木棉 "
    "银杏 海棠 丁香 百合 芳草 翠竹 青松 梧桐 红枫 清泉 明德 厚德 弘毅 博爱 仁和 至善 "
    "悦心 欣悦 乐善 惠民 为民 便民 利民 安居 乐业 睦邻 邻里 家园 和谐 幸福 美好 "
    "希望 梦想 成长 启航 扬帆 远航 展翅 雏鹰 萌芽 新苗 春雨 甘霖 雨露 润物 "
    "守望 牵手 携手 同心 齐心 众心 共建 共享 共融 融合 包容 暖阳 朝阳 东方 晨光 "
    "星辰 明月 繁星 北斗 灯塔 航标 桥梁 纽带 绿洲 绿色 蓝天 碧水 青山 山水 田园 "
    "乡愁 故园 老街 古镇 新村 红星 红旗 光明 正道 公正 平安 安宁 宁静 怡然 "
    "仁爱 慈心 慈航 善行 行善 益家 益友 益心 公益 志愿 雷锋 红帽子 蓝马甲 小橘灯 "
    "金色年华 银龄 颐养 康宁 健康 活力 青春 少年 童心 童趣 书香 墨香 翰墨 "
    "知音 和声 天籁 乐活 快乐 开心 悦读 耕读 明心 慧心 匠心 初心 恒心 信义"
).split()
# (suffix, org_type, typical fields); registered/direct organizations.
REGISTERED_SUFFIXES = (
    ("社区服务中心", "social_service_agency", ("community", "elderly")),
    ("社会工作服务中心", "social_service_agency", ("social_work", "children")),
    ("社工服务社", "social_service_agency", ("social_work", "community")),
    ("志愿者协会", "social_group", ("community", "disaster")),
    ("助残服务中心", "social_service_agency", ("disability", "employment")),
    ("青少年发展中心", "social_service_agency", ("youth", "education")),
    ("环保促进会", "social_group", ("environment",)),
    ("文化传播中心", "social_service_agency", ("culture", "community")),
    ("公益服务中心", "social_service_agency", ("poverty", "community")),
    ("法律援助服务中心", "social_service_agency", ("legal",)),
    ("妇女儿童服务中心", "social_service_agency", ("women", "children")),
    ("养老服务中心", "social_service_agency", ("elderly", "medical")),
    ("居家养老服务中心", "social_service_agency", ("elderly", "community")),
    ("心理咨询服务中心", "social_service_agency", ("medical", "social_work")),
    ("康复服务中心", "social_service_agency", ("disability", "medical")),
    ("家庭服务中心", "social_service_agency", ("women", "children", "community")),
    ("儿童关爱中心", "social_service_agency", ("children",)),
    ("就业促进会", "social_group", ("employment", "youth")),
    ("应急救援协会", "social_group", ("disaster",)),
    ("慈善会", "social_group", ("poverty", "disaster")),
    ("书画协会", "social_group", ("culture",)),
    ("老年体育协会", "social_group", ("elderly", "culture")),
    ("社会工作者协会", "social_group", ("social_work",)),
    ("商会", "social_group", ("employment", "other")),
    ("健康促进会", "social_group", ("medical", "elderly")),
    ("教育发展研究会", "social_group", ("education",)),
    ("慈善基金会", "foundation", ("poverty", "education")),
    ("教育基金会", "foundation", ("education", "children")),
    ("社区发展基金会", "foundation", ("community", "poverty")),
    ("扶贫济困基金会", "foundation", ("poverty",)),
)
# Community-level groups that are filed on record rather than registered.
FILED_SUFFIXES = (
    ("志愿服务队", "other", ("community",)),
    ("舞蹈队", "other", ("culture", "elderly")),
    ("读书会", "other", ("culture", "education")),
    ("老年协会", "social_group", ("elderly",)),
    ("睦邻互助会", "other", ("community", "elderly")),
    ("巡逻队", "other", ("community",)),
    ("合唱团", "other", ("culture",)),
    ("环保志愿队", "other", ("environment",)),
    ("调解委员会", "other", ("legal", "community")),
    ("助学会", "social_group", ("education", "poverty")),
)
ATTACHED_SUFFIXES = ("分会", "服务队", "工作站", "志愿服务站", "专业委员会", "服务点")
EXTRA_FIELDS = (
    "elderly disability children youth women poverty environment culture community medical "
    "disaster legal employment education social_work other"
).split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华建文玉兰红梅志国晓丹宇浩然欣怡子轩"
ROADS = (
    "人民路 解放路 中山路 建设路 和平路 胜利路 文化路 新华路 长江路 黄河路 "
    "滨江路 光明路 幸福路 友谊路 青年路 团结路 东风路 朝阳路 工农路 育才路"
).split()
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "170 176 177 178 180 181 182 183 184 185 186 187 188 189 198 199"
).split()
# Province prefix -> area code (3-digit area codes with 8-digit local numbers).
AREA_CODES = {
    "11": "010",
    "12": "022",
    "31": "021",
    "50": "023",
    "44": "020",
    "51": "028",
    "42": "027",
    "32": "025",
    "61": "029",
    "21": "024",
}
TOWN_ENDINGS = ("街道办事处", "街道", "地区", "镇", "乡", "苏木")


@dataclass(frozen=True)
class Place:
    code: str  # division code used for the row (level 3 or 4)
    prefix: str  # "成都市武侯区" or "成都市武侯区簇桥街道"
    town: str  # town name without the ending ("簇桥"), or ""
    county: str  # "武侯区"


def load_places() -> list[Place]:
    """Level-3 and level-4 divisions with the human prefix of an organization name."""
    from servicepark.geo.data import load_divisions

    _, rows = load_divisions()
    by_code = {code: (level, parent, name) for level, code, parent, name in rows}
    places: list[Place] = []
    for level, code, parent, name in rows:
        if level not in (3, 4):
            continue
        if level == 3:
            county_code, county, town_name = code, name, ""
        else:
            county_code, town_name = parent, name
            county = by_code[parent][2] if parent in by_code else ""
        parent_of_county = by_code.get(county_code, (0, "", ""))[1]
        city = by_code.get(parent_of_county, (0, "", ""))[2]
        town = town_name
        for ending in TOWN_ENDINGS:
            if town.endswith(ending) and len(town) > len(ending) + 1:
                town = town[: -len(ending)]
                break
        places.append(Place(code, f"{city}{county}{town_name}", town, county))
    return places


class OrgGenerator:
    """Deterministic stream of CSV rows (lists of 13 strings)."""

    UMBRELLA_POOL = 400

    def __init__(self, seed: int = SEED) -> None:
        from servicepark.registry.uscc import make_uscc

        self.make_uscc = make_uscc
        self.rng = random.Random(seed)
        places = load_places()
        self.counties = [p for p in places if not p.town]
        self.towns = [p for p in places if p.town]
        self.filing_serial = 0
        # Recent registered social groups that attached organizations may name as umbrella,
        # with the names already used under each (unique per umbrella).
        self.umbrellas: deque[tuple[str, str, set[str]]] = deque(maxlen=self.UMBRELLA_POOL)
        self.today = dt.date(2025, 12, 31)

    def _place(self, kind: str) -> Place:
        # Filed groups live in towns/streets; registered ones mostly at county level.
        town_share = 0.85 if kind == "filed" else 0.4
        pool = self.towns if self.rng.random() < town_share else self.counties
        return self.rng.choice(pool)

    def _core(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return rng.choice(CORES) + rng.choice(CORES)
        return rng.choice(CORES)

    def _person(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def _phone(self, division: str) -> str:
        rng = self.rng
        area = AREA_CODES.get(division[:2])
        if area and rng.random() < 0.35:
            return f"{area}-{rng.randint(2, 8)}{rng.randrange(10**6, 10**7)}"
        return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"

    def _fields(self, typical: Sequence[str]) -> str:
        chosen = list(typical)
        if self.rng.random() < 0.4:
            extra = self.rng.choice(EXTRA_FIELDS)
            if extra not in chosen:
                chosen.append(extra)
        return ";".join(chosen)

    def _founded(self) -> str:
        days = self.rng.randrange(0, (self.today - dt.date(1990, 1, 1)).days)
        return (dt.date(1990, 1, 1) + dt.timedelta(days=days)).isoformat()

    def row(self) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.05 and self.umbrellas:
            return self._attached()
        kind = "filed" if r < 0.20 else "registered" if r < 0.55 else "direct"
        place = self._place(kind)
        if kind == "filed":
            suffix, org_type, fields = rng.choice(FILED_SUFFIXES)
        else:
            suffix, org_type, fields = rng.choice(REGISTERED_SUFFIXES)
            if kind == "registered" and org_type == "foundation":
                kind = "direct"  # foundations register directly
        name = f"{place.prefix}{self._core()}{suffix}"
        uscc = filing = ""
        if kind == "filed":
            self.filing_serial += 1
            year = rng.randrange(2010, 2026)
            filing = f"{place.county[:2]}民社备〔{year}〕{self.filing_serial:07d}号"
        else:
            uscc = self.make_uscc(org_type=org_type, division_code=place.code, rng=rng)
            if org_type == "social_group" and rng.random() < 0.5:
                self.umbrellas.append((uscc, place.prefix, set()))
        street = f"{rng.choice(ROADS)}{rng.randrange(1, 400)}号"
        return [
            uscc,
            filing,
            name,
            "",
            org_type,
            kind,
            place.code,
            f"{place.prefix}{street}",
            self._person(),
            self._founded(),
            self._fields(fields),
            "",
            self._phone(place.code),
        ]

    def _attached(self) -> list[str]:
        rng = self.rng
        umbrella, prefix, used = rng.choice(self.umbrellas)
        place = rng.choice(self.towns)
        for _ in range(10):
            name = f"{place.town}{self._core()}{rng.choice(ATTACHED_SUFFIXES)}"
            if name not in used:
                break
        else:
            name = f"{name}{len(used) + 1}"
        used.add(name)
        return [
            "",
            "",
            name,
            "",
            "other",
            "attached",
            place.code,
            f"{place.prefix}{rng.choice(ROADS)}{rng.randrange(1, 400)}号",
            self._person(),
            self._founded(),
            self._fields(("community",)),
            umbrella,
            self._phone(place.code),
        ]

    def rows(self, count: int) -> Iterator[list[str]]:
        for _ in range(count):
            yield self.row()


def write_csv(path: Path, count: int, seed: int = SEED) -> int:
    """Stream `count` generated rows (plus header) to `path`; returns the file size."""
    gen = OrgGenerator(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(gen.rows(count))
    return path.stat().st_size


# --- machine facts and statistics -----------------------------------------------------------


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""


def _count_lines(cmd: list[str]) -> int | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return len(out.stdout.splitlines())


def machine_info(database_url: str | None = None) -> dict[str, Any]:
    cpu = ""
    mem_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu_model": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git_commit": _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "git_uncommitted_app_files": _count_lines(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "servicepark", "config"]
        ),
    }
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT version()").fetchone()
            info["postgresql"] = row[0] if row else ""
            settings = {}
            for name in ("shared_buffers", "work_mem", "fsync", "synchronous_commit"):
                value = conn.execute(f"SHOW {name}").fetchone()
                settings[name] = value[0] if value else ""
            info["postgresql_settings"] = settings
    return info


def loadavg() -> list[float]:
    """1, 5 and 15-minute load averages (other work on the machine skews the figures)."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        return []


def wait_for_quiet(limit_s: float | None = None, threshold: float = 1.0) -> dict[str, Any]:
    """Wait (at most BENCH_QUIET_WAIT s, default 120) until the 1-minute load is below
    `threshold`, so that a benchmark does not start on top of other heavy work."""
    if limit_s is None:
        limit_s = float(os.environ.get("BENCH_QUIET_WAIT", 120))
    started = time.monotonic()
    before = loadavg()
    while loadavg() and loadavg()[0] >= threshold and time.monotonic() - started < limit_s:
        time.sleep(5)
    return {
        "load_before_wait": before,
        "waited_s": round(time.monotonic() - started),
        "load_at_start": loadavg(),
    }


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (same as numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * pct / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else float("nan"),
    }


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
