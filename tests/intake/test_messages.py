"""Several answers in one message, checked at their questions of a real draft, and saved as revisions."""

from __future__ import annotations

from bot.app import App
from conversations.intake import draft_of, is_multi_answer, read_message, save_reading
from storage.values import Value
from tests.intake.drafts import draft, open_sheet


def accepted(reading) -> dict[str, str]:
    return {a.key: a.raw for a in reading.accepted}


def test_one_line_with_semicolons_gives_both_answers(app: App) -> None:
    d = draft(app)
    reading = read_message("1: 65/35; 2: 120.500/150.000", d)
    assert accepted(reading) == {"ct1": "65/35", "ct2": "120.500/150.000"}
    assert reading.refused == () and [c.key for c in reading.changes] == ["ct1", "ct2"]
    lines = reading.review_lines(d)
    assert lines[0] == "Đã đọc 2 câu trả lời: 2 thay đổi, 0 giữ nguyên; 0 chưa nhận."
    assert "• 2. Người dân vùng sâu, xa tiếp cận báo chí thiết yếu: 120.500/150.000 (80,3%)" in lines


def test_each_answer_is_refused_as_if_typed_at_its_question(app: App) -> None:
    d = draft(app)
    reading = read_message("ct1 65/35\ncâu 2 - 80,3%\nChỉ tiêu 2: 150.000/120.500", d)
    assert accepted(reading) == {"ct1": "65/35"}
    assert reading.notices[0].render("vi") == "chỉ tiêu 2 được nhập hai lần; bot lấy giá trị sau cùng."
    [line] = [x for x in reading.review_lines(d) if x.startswith("Chỉ tiêu 2")]
    assert line.startswith("Chỉ tiêu 2: 150.000/120.500 — Tử số 150.000 lớn hơn mẫu số 120.500")
    assert "ví dụ: 120.500/150.000" in line


def test_provisional_marks_and_word_bullets(app: App) -> None:
    d = draft(app)
    reading = read_message("•\tct1\t65/35 tạm ước tính\n•\tct2\t~120.500/150.000", d)
    assert {a.key: a.provisional for a in reading.accepted} == {"ct1": True, "ct2": True}
    assert reading.changes[0].after == "65%/35% (tạm ước tính)"


def test_sections_by_heading(app: App) -> None:
    d = draft(app)
    text = ("III. Đánh giá xu hướng:\n1. Tỷ lệ tiếp cận tăng.\n2. Ổn định.\n"
            "Khó khăn: thiếu số liệu IP theo khu vực\nĐề xuất: hỗ trợ công cụ đo")
    reading = read_message(text, d, current_key="trend")
    assert accepted(reading) == {"trend": "1. Tỷ lệ tiếp cận tăng.\n2. Ổn định.",
                                 "difficulties": "thiếu số liệu IP theo khu vực", "proposals": "hỗ trợ công cụ đo"}
    assert all(a.provisional is None for a in reading.accepted)


def test_a_question_this_unit_does_not_answer_and_unknown_parts(app: App) -> None:
    d = draft(app)
    reading = read_message("Em gửi số liệu ạ\nct3: 15%\nct12: 4\n1: 65/35", d)
    assert accepted(reading) == {"ct1": "65/35"}
    lines = reading.review_lines(d)
    assert "Chỉ tiêu 3: 15% — chỉ tiêu 3 không thuộc phần đơn vị của Anh/Chị trả lời trong kỳ này." in lines
    assert "Biểu mẫu không có câu «ct12» («ct12: 4»). Anh/Chị xem lại số câu giúp." in lines
    assert any(x.startswith("Chưa rõ phần «Em gửi số liệu ạ» trả lời câu nào.") for x in lines)


def test_one_answer_to_the_current_question_stays_one_answer(app: App) -> None:
    d = draft(app)
    assert not is_multi_answer("65/35", d, "ct1")
    assert not is_multi_answer("65 - 35", d, "ct1"), "a pair with a dash, not 'question 65'"
    assert read_message("2: 120.500/150.000", d, "ct1") is not None, "names another question"
    assert is_multi_answer("2: 120.500/150.000", d, None), "at the review: the numbers to change"
    assert not is_multi_answer("1. Tăng đều.\n2. Ổn định", d, "trend"), "a section's own list"
    assert is_multi_answer("III. Tăng đều.\nV. Không có", d, "trend")
    assert not is_multi_answer("Cảm ơn bot", d, None)


def test_a_press_agency_sends_the_whole_form_2_in_one_message(app: App) -> None:
    d = draft(app, unit="QT-BAO", form="CDS", period="2026")
    lines = [f"{q.definition.number}. {(q.definition.example or 'có').split(' hoặc ')[0].split(' (')[0]}"
             for q in d.asked]
    reading = read_message("\n".join(lines), d)
    assert reading.refused == () and reading.unplaced == ()
    assert [a.key for a in reading.accepted] == [q.key for q in d.asked]


def test_saved_answers_are_revisions_of_the_person_and_channel(app: App) -> None:
    d = draft(app)
    reading = read_message("1: 65/35 tạm\n2: 120.500/150.000\nV. Không có", d)
    with app.uow() as uow:
        person = uow.people.add_person("Lê Thị B")
        sheet = open_sheet(uow, "QUANGTRI", "CL", "2026-Q4")
        assert save_reading(uow, sheet.submission, d, reading, person.id, "telegram") == ["ct1", "ct2", "difficulties"]
        uow.commit()
    with app.uow() as uow:
        sheet = open_sheet(uow, "QUANGTRI", "CL", "2026-Q4")
        answers = uow.submissions.answers(sheet.submission.id)
        assert Value.from_json(answers["ct2"].value).b == 150000 and answers["ct1"].provisional
        assert [(r.question_key, r.channel, r.source_name) for r in uow.submissions.revisions(sheet.submission.id)] \
            == [("ct1", "telegram", None), ("ct2", "telegram", None), ("difficulties", "telegram", None)]
        again = read_message("1: 65/35\n2: 120.500/150.000", draft_of(uow, sheet, "vi", app.clock.today()))
    assert [(c.key, c.fields) for c in again.changes] == [("ct1", ("provisional",))], "the value made official"
