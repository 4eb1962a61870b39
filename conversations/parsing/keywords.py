"""The words people type for yes, no and "provisional figure", as data (matched after `fold`)."""

from __future__ import annotations

YES_WORDS = frozenset(
    {"co", "c", "yes", "y", "x", "dung", "roi", "da", "ok", "oke", "okay", "oki", "okie", "vang", "u", "uh", "um",
     "umm", "uhm", "uk", "true"}
)
# Yes said in two words that are not yes one by one ("đồng ý": "y" alone is yes, "dong" is not).
YES_PHRASES = frozenset({"dong y", "chinh xac", "xac nhan", "chuan roi"})
NO_WORDS = frozenset({"khong", "ko", "k", "kh", "khg", "hong", "hok", "no", "n", "chua", "sai", "false"})
YES_SYMBOLS = frozenset("✓✔✅☑")
NO_SYMBOLS = frozenset("❌")
# "Nothing to report" typed alone for a free-text question (after `fold`, particles and an opener dropped).
NONE_PHRASES = frozenset({
    "khong", "ko", "k", "kh", "khg", "khong co", "ko co", "k co", "kh co", "khg co", "khong co gi", "ko co gi",
    "chua co", "khong co y kien", "khong co de xuat", "khong co kho khan", "khong co kho khan vuong mac",
    "none", "no", "nothing", "na",
})
# Politeness around the answer: "Có ạ", "Dạ không", "Vâng, đã có".
PARTICLES = frozenset({"a", "nhe", "nha", "ah"})
OPENERS = frozenset({"da", "vang"})

# Longest first, so "tạm ước tính" wins over "tạm". Diacritics are optional but, when typed, must be these
# (so "Trung tâm" is not "tạm").
PROVISIONAL_PHRASES = (
    "số liệu tạm ước tính",
    "số liệu tạm tính",
    "số liệu tạm",
    "tạm ước tính",
    "tạm tính",
    "tạm ước",
    "ước tính",
    "sơ bộ",
    "dự kiến",
    "xấp xỉ",
    "khoảng",
    "tạm",
    "ước",
    "provisional",
    "preliminary",
    "estimated",
    "estimate",
    "approx",
    "est",
)
PROVISIONAL_SYMBOLS = "~≈"
