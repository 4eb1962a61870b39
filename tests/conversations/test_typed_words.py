"""What a person types is never misread (issue 11 §1): a button's words typed alone act as the button,
at every step; a free-text answer merely containing such a word is still an answer; ordinary phrasings."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from storage.models import AnswerRevision, Receipt
from storage.values import Value
from tests.conversations.test_submission import stored
from tests.helpers.chat import Chat


def typed_to_section_iv(chat: Chat) -> None:
    """Province, CL 2026-Q4, typed only: indicators 1 and 2 with comparisons, then Mục III."""
    chat.send("nop")
    chat.send("2")  # the 2nd period offered (2026-Q4), typed without the slash
    assert chat.title == "Chỉ tiêu 1 · câu 1/7", chat.text
    chat.send("62%/38%")
    chat.send("Thái Lan 55%/45%")
    chat.send("120.500/150.000")
    chat.send("bo qua")
    assert chat.title == "Mục III · câu 3/7", chat.text
    chat.send("1. Xu hướng tăng nhờ phủ sóng số.")
    assert chat.title == "Mục IV · câu 4/7", chat.text


def test_back_typed_at_a_free_text_question_goes_back_and_saves_nothing(app: App, province: Chat) -> None:
    typed_to_section_iv(province)
    province.send("1. Tương đương mức trung bình ASEAN.")
    assert province.title == "Mục V · câu 5/7"
    province.send("quay lai")
    assert province.title == "Mục IV · câu 4/7" and "Đã lưu" not in province.text
    province.send("  Quay Lại ")
    assert province.title == "Mục III · câu 3/7" and "Đã lưu" not in province.text
    answers = stored(app)
    assert answers["intl"].raw_text == "1. Tương đương mức trung bình ASEAN."
    assert answers["trend"].raw_text == "1. Xu hướng tăng nhờ phủ sóng số."


def test_keep_typed_keeps_the_answer_with_or_without_diacritics(app: App, province: Chat) -> None:
    typed_to_section_iv(province)
    for answer in ("ko co", "Không có", "1. Hỗ trợ công cụ đo.", "1. Hoàn thành các chỉ tiêu."):
        province.send(answer)
    province.send("luu nhap")
    for word in ("giữ nguyên", "giu nguyen", "/giu_nguyen"):
        province.send("/nop 2026-Q4")
        province.send("sua")
        province.send("III")  # the number of the question in the change list
        assert province.title == "Mục III · câu 3/7", province.text
        province.send(word)
        assert "Giữ nguyên câu trả lời." in province.text and "Tóm tắt" in province.title, word
        province.send("luu nhap")
        assert "Đã lưu nháp Quý IV/2026" in province.text
    assert stored(app)["trend"].raw_text == "1. Xu hướng tăng nhờ phủ sóng số."
    with app.uow() as uow:
        trend = [r for r in uow.session.scalars(select(AnswerRevision)) if r.question_key == "trend"]
    assert len(trend) == 1, "keeping writes nothing"


def test_skip_typed_at_a_comparison_stores_nothing_and_keeps_an_earlier_one(app: App, province: Chat) -> None:
    province.send("/nop 2026-Q4")
    province.send("62%/38%")
    province.send("bo qua")
    assert "Bỏ qua so sánh quốc tế." in province.text and province.title == "Chỉ tiêu 2 · câu 2/7"
    assert stored(app)["ct1"].comparison is None
    province.send("quay lai")
    province.send("giu nguyen")  # indicator 1 kept, its comparison asked again
    province.send("Thái Lan 55%/45%")
    province.send("quay lai")
    province.send("giữ nguyên")
    province.send("Bỏ Qua")  # an earlier comparison: skipping keeps it, and says so
    assert "Giữ so sánh quốc tế đã nhập trước: Thái Lan 55%/45%" in province.text
    assert stored(app)["ct1"].comparison == "Thái Lan 55%/45%"


def test_skip_on_an_answered_optional_question_keeps_the_answer_and_says_so(app: App, province: Chat) -> None:
    typed_to_section_iv(province)
    province.send("1. Tương đương mức trung bình ASEAN.")
    province.send("quay lai")
    assert "Bỏ qua" in province.labels and "Giữ nguyên" in province.labels
    province.press("Bỏ qua")
    assert "Giữ câu trả lời trước: 1. Tương đương mức trung bình ASEAN." in province.text
    assert province.title == "Mục V · câu 5/7"
    answers = stored(app)
    assert not answers["intl"].skipped and answers["intl"].raw_text == "1. Tương đương mức trung bình ASEAN."


def test_an_answer_merely_containing_button_words_is_an_answer(app: App, province: Chat) -> None:
    typed_to_section_iv(province)
    province.send("Quay lại mô hình cũ, bỏ qua khâu trung gian, giữ nguyên chất lượng")
    assert "Đã lưu: Quay lại mô hình cũ, bỏ qua khâu trung gian, giữ nguyên chất lượng" in province.text
    assert province.title == "Mục V · câu 5/7"


def test_send_typed_at_the_review_sends(app: App, province: Chat) -> None:
    typed_to_section_iv(province)
    for answer in ("ko co", "Không có", "1. Hỗ trợ công cụ đo.", "1. Hoàn thành các chỉ tiêu."):
        province.send(answer)
    assert "Tóm tắt" in province.title
    province.send("gui")
    assert province.title == "Đã nhận số liệu" and "CL-2026Q4-QUANGTRI-01" in province.text
    province.send("/nop 2026-Q4")
    province.send("Gửi lại")
    assert "CL-2026Q4-QUANGTRI-02" in province.text
    province.send("/nop 2026-Q4")
    province.send("/gui")
    assert "CL-2026Q4-QUANGTRI-03" in province.text
    with app.uow() as uow:
        assert len(list(uow.session.scalars(select(Receipt)))) == 3


def test_period_choice_by_number_code_or_slash_and_never_the_menu(province: Chat) -> None:
    province.send("/nop")
    assert [label[:3] for label in province.labels] == [f"{i}. " for i in range(1, len(province.labels) + 1)]
    province.send("/2")
    assert "Quý IV/2026" in province.text and province.title == "Chỉ tiêu 1 · câu 1/7"
    province.send("/huy")
    province.send("nop")
    province.send("2026-Q3")
    assert "Quý III/2026" in province.text
    province.send("/huy")
    province.send("nop")
    province.send("Quý IV")
    assert "Quý IV/2026" in province.text
    province.send("/huy")
    province.send("nop")
    province.send("quý nào cũng được")
    assert "gõ số thứ tự" in province.text and "Anh/Chị muốn nộp số liệu cho kỳ nào?" in province.text
    assert "Nộp số liệu" not in province.labels  # the choice again, not the main menu
    province.send("1")
    assert "Quý III/2026" in province.text


def test_change_list_by_number_and_back_to_the_summary(province: Chat) -> None:
    typed_to_section_iv(province)
    for answer in ("ko co", "Không có", "1. Hỗ trợ công cụ đo.", "1. Hoàn thành các chỉ tiêu."):
        province.send(answer)
    province.send("Sửa một câu")
    assert province.text.strip().endswith("Anh/Chị muốn sửa câu nào?")
    province.send("quay lai")
    assert "Tóm tắt" in province.title
    province.send("sua")
    province.send("2")
    assert province.title == "Chỉ tiêu 2 · câu 2/7"


def test_unusual_value_confirmed_or_declined_in_words(app: App, province: Chat) -> None:
    province.send("/nop 2026-Q3")
    province.send("1.000/1.000")
    province.send("/huy")
    province.send("/nop 2026-Q4")
    province.send("90/10")
    assert "tăng 40 điểm phần trăm" in province.text and "+80%" not in province.text
    province.send("không")  # = «Nhập lại»
    assert "Mời Anh/Chị nhập lại giá trị." in province.text and "ct1" not in stored(app)
    province.send("90/10")
    province.send("ừ")  # = «Đúng, giữ giá trị này»
    assert "Đã lưu: 90%/10%" in province.text
    assert Value.from_json(stored(app)["ct1"].value).a == 90


def test_a_jump_on_a_ratio_is_in_percentage_points(province: Chat) -> None:
    province.send("/nop 2026-Q3")
    province.send("60/40")
    province.send("bo qua")
    province.send("35/100")
    province.send("/huy")
    province.send("/nop 2026-Q4")
    province.send("60/40")
    province.send("bo qua")
    province.send("867/1.000")  # 35% -> 86,7%: 51,7 points, not "+148%"
    assert "Giá trị 867/1.000 (86,7%) tăng 51,7 điểm phần trăm so với kỳ trước (35/100 (35%))" in province.text


def test_nothing_to_report_typed_for_free_text(app: App, province: Chat) -> None:
    province.send("/nop 2026-Q4")
    province.send("62%/38%")
    province.send("không có")  # the comparison: there is none
    assert "Đã ghi nhận chỉ tiêu 1 không có so sánh quốc tế." in province.text
    province.send("quay lai")
    province.send("giu nguyen")
    province.send("Thái Lan 55%/45%")
    province.send("quay lai")
    province.send("giu nguyen")
    province.send("ko co")  # an earlier comparison removed, with a revision, and the reply says so
    assert "Đã xóa so sánh quốc tế nhập trước đó («Thái Lan 55%/45%»)" in province.text
    assert stored(app)["ct1"].comparison is None
    province.send("120.500/150.000")
    province.send("bo qua")
    province.send("1. Xu hướng tăng.")
    province.send("Dạ không có ạ")  # Mục IV (optional)
    assert "Đã lưu: Không có" in province.text
    answers = stored(app)
    assert answers["intl"].raw_text == "Dạ không có ạ" and Value.from_json(answers["intl"].value).text == "Không có"


def test_ordinary_phrasings_of_numbers(app: App, registered: Callable[..., Chat]) -> None:
    analyst = registered("CBC", "analyst")  # Cục Báo chí answers indicators 3-9 itself
    analyst.send("nop")
    analyst.send("2")
    assert "Chỉ tiêu 3 · câu" in analyst.title, analyst.text
    analyst.send("giảm 12,5%")
    assert "Đã lưu: -12,5%" in analyst.text
    analyst.send("bo qua")
    analyst.send("tăng 30%")
    assert "Đã lưu: +30%" in analyst.text
    for _ in range(3):  # indicators 5, 6 (each with its comparison) to reach the count of indicator 7
        analyst.send("bo qua")
    analyst.send("450/800")
    analyst.send("bo qua")
    analyst.send("180/300")
    analyst.send("bo qua")
    assert "Chỉ tiêu 7 · câu" in analyst.title, analyst.text
    analyst.send("khoảng 8")
    assert "Đã lưu: 8 (tạm ước tính)" in analyst.text
    with app.uow() as uow:
        u, p = uow.units.by_code("CBC"), uow.periods.by_code("CL", "2026-Q4")
        answers = uow.submissions.answers(uow.submissions.get(u.id, p.id).id)
    assert Value.from_json(answers["ct3"].value).a == -12.5
    assert answers["ct7"].raw_text == "khoảng 8" and Value.from_json(answers["ct7"].value).a == 8
    assert answers["ct7"].provisional


def test_yes_in_ordinary_words(app: App, registered: Callable[..., Chat]) -> None:
    agency = registered("BTC-TBTC")
    agency.send("nop")
    for word in ("ừ", "ừm", "vâng", "đúng rồi"):
        assert "Cơ quan đã ban hành Kế hoạch chuyển đổi số báo chí chưa?" in agency.text, agency.text
        agency.send(word)
        assert "Đã lưu: Có" in agency.text, word
        agency.send("quay lai")


def test_a_refusal_never_suggests_what_the_question_refuses(province: Chat) -> None:
    province.send("/nop 2026-Q4")
    province.send("62%/38%")
    province.send("bo qua")
    province.send("tám mươi phần trăm")  # indicator 2 demands the counts
    assert "Câu này cần tử số/mẫu số" in province.text and "120.500/150.000" in province.text
    assert "tỷ lệ phần trăm" not in province.text.split("Chưa hợp lệ")[1].split("\n")[0]


BUTTON_WORDS = {"quay lai", "quay lại", "giữ nguyên", "giu nguyen", "bo qua", "bỏ qua", "gui", "gửi", "sua", "2", "III"}


def test_a_whole_form_1_typed_in_words_only(app: App, province: Chat) -> None:
    """No button pressed: every step reached and answered by typing, loosely, as on a phone."""
    script = [
        ("nop", "Anh/Chị muốn nộp số liệu cho kỳ nào?"),
        ("2", "Chỉ tiêu 1 · câu 1/7"),
        ("62/38", "So sánh quốc tế cho chỉ tiêu 1"),
        ("Thái Lan khoảng 55%/45%", "Chỉ tiêu 2 · câu 2/7"),
        ("80%", "Câu này cần cả tử số/mẫu số"),  # counts demanded: refused, nothing stored
        ("quay lai", "Chỉ tiêu 1 · câu 1/7"),
        ("giu nguyen", "So sánh quốc tế cho chỉ tiêu 1"),
        ("bo qua", "Giữ so sánh quốc tế đã nhập trước: Thái Lan khoảng 55%/45%"),
        ("tạm 120.500/150.000", "Đã lưu: 120.500/150.000 (80,3%) (tạm ước tính)"),
        ("ko co", "Đã ghi nhận chỉ tiêu 2 không có so sánh quốc tế."),
        ("1. Tỷ lệ tiếp cận tăng nhờ phủ sóng phát thanh số.", "Mục IV · câu 4/7"),
        ("Bỏ qua", "Đã bỏ qua câu này."),
        ("quay lại", "Mục IV · câu 4/7"),
        ("Quay Lai", "Mục III · câu 3/7"),
        ("giữ nguyên", "Mục IV · câu 4/7"),
        ("1. Tương đương mức trung bình ASEAN.", "Mục V · câu 5/7"),
        ("không có", "Đã lưu: Không có"),
        ("1. Đề nghị hỗ trợ công cụ đo lượng truy cập.", "Mục VII · câu 7/7"),
        ("1. Năm 2026 hoàn thành các chỉ tiêu; bỏ qua khâu trung gian.", "Tóm tắt"),
        ("sua", "Anh/Chị muốn sửa câu nào?"),
        ("1", "Chỉ tiêu 1 · câu 1/7"),
        ("1.200.000/800.000", "Đã lưu: 1.200.000/800.000 (60%/40%)"),
        ("bo qua", "Tóm tắt"),  # changing one answer: back to the summary, the comparison kept
        ("gửi", "Đã nhận số liệu"),
    ]
    for typed, expected in script:
        province.send(typed)
        assert expected in province.text, (typed, province.text)
    assert "Mã biên nhận: CL-2026Q4-QUANGTRI-01" in province.text
    answers = stored(app)
    values = {k: Value.from_json(a.value) if a.value else None for k, a in answers.items()}
    assert (values["ct1"].a, values["ct1"].b) == (1200000, 800000)
    assert answers["ct1"].comparison == "Thái Lan khoảng 55%/45%" and not answers["ct1"].provisional
    assert (values["ct2"].a, values["ct2"].b) == (120500, 150000) and answers["ct2"].provisional
    assert answers["ct2"].comparison is None
    assert values["trend"].text == "1. Tỷ lệ tiếp cận tăng nhờ phủ sóng phát thanh số."
    assert values["intl"].text == "1. Tương đương mức trung bình ASEAN." and not answers["intl"].skipped
    assert values["difficulties"].text == "Không có" and answers["difficulties"].raw_text == "không có"
    assert values["proposals"].text == "1. Đề nghị hỗ trợ công cụ đo lượng truy cập."
    assert values["year_summary"].text == "1. Năm 2026 hoàn thành các chỉ tiêu; bỏ qua khâu trung gian."
    with app.uow() as uow:
        revisions = list(uow.session.scalars(select(AnswerRevision)))
    assert not [r.raw_text for r in revisions if (r.raw_text or "").strip() in BUTTON_WORDS]
    assert not [r.comparison for r in revisions if (r.comparison or "").strip().lower() in BUTTON_WORDS]


def test_a_look_up_in_the_middle_of_the_review_keeps_its_buttons_typeable(province: Chat) -> None:
    typed_to_section_iv(province)
    for answer in ("ko co", "Không có", "1. Hỗ trợ công cụ đo.", "1. Hoàn thành các chỉ tiêu."):
        province.send(answer)
    province.send("xem")  # the draft shown, no buttons
    province.send("han")  # deadlines, with a «Nộp số liệu» button
    province.send("gui")  # still the review's «Gửi»
    assert province.title == "Đã nhận số liệu" and "CL-2026Q4-QUANGTRI-01" in province.text
    province.send("gui")  # sent, the review left: a bare «gui» no longer sends anything
    assert "Mã biên nhận" not in province.text


def test_a_whole_form_2_typed_in_words_only(app: App, registered: Callable[..., Chat]) -> None:
    agency = registered("BTC-TBTC")
    agency.send("nop")
    assert agency.title == "Câu 1/23", agency.text
    typed = ["ừ", "vâng", "ko", "đúng rồi", "bo qua", "giảm 5%", "3.200/12.500", "45/50", "có", "tăng 18%",
             "bo qua", "3.200/2.500", "Có"]
    typed += ["quay lai", "giu nguyen"]  # back to question 13, kept
    typed += ["1. Nâng cấp máy chủ.", "ko co", "1. Ứng dụng AI.", "1. Đã ban hành kế hoạch.", "1. Vận hành hội tụ.",
              "không có", "1. Doanh thu số thấp.", "1. Đầu tư đồng bộ.", "Không có", "1. Nền tảng dùng chung."]
    for text in typed:
        agency.send(text)
        assert "Chưa hợp lệ" not in agency.text, (text, agency.text)
    assert "Tóm tắt" in agency.title, agency.text
    agency.send("Gửi")
    assert agency.title == "Đã nhận số liệu", agency.text
    with app.uow() as uow:
        u, p = uow.units.by_code("BTC-TBTC"), uow.periods.by_code("CDS", "2026")
        answers = uow.submissions.answers(uow.submissions.get(u.id, p.id).id)
        revisions = list(uow.session.scalars(select(AnswerRevision)))
    value = {k: Value.from_json(a.value) if a.value else None for k, a in answers.items()}
    assert [value[k].flag for k in ("ke_hoach", "nen_tang_so", "du_lieu_ai", "toa_soan_hoi_tu")] == [True, True,
                                                                                                  False, True]
    assert answers["bao_dien_tu"].skipped and answers["truong_thanh"].skipped
    assert value["tang_doanh_thu"].a == -5 and value["doc_gia"].a == 18
    assert (value["doanh_thu_so"].a, value["doanh_thu_so"].b) == (3200, 12500)
    assert (value["doanh_thu_so_tang"].a, value["doanh_thu_so_tang"].b) == (3200, 2500)
    assert value["dien_tu"].flag is True and answers["dien_tu"].revision == 1
    assert value["nguon_luc"].text == "Không có" and value["uu_diem"].text == "Không có"
    assert value["dau_tu"].text == "1. Nâng cấp máy chủ." and value["de_xuat"].text == "1. Nền tảng dùng chung."
    assert not [r.raw_text for r in revisions if (r.raw_text or "").strip() in BUTTON_WORDS]


def test_the_reviews_words_typed_at_a_question_are_never_an_answer(app: App, province: Chat) -> None:
    typed_to_section_iv(province)
    province.send("gửi")  # the summary first, with what is missing; sending is pressed (or typed) there
    assert "Tóm tắt" in province.title and "Còn thiếu: V, VI, VII" in province.text
    assert "intl" not in stored(app)
    province.send("gui")
    assert "Chưa gửi được vì còn thiếu: V, VI, VII" in province.text
    province.send("/nop 2026-Q4")
    province.send("sua")
    assert "Anh/Chị muốn sửa câu nào?" in province.text
    province.send("IV")
    province.send("luu nhap")
    assert "Đã lưu nháp Quý IV/2026" in province.text and "intl" not in stored(app)


def test_a_required_question_that_cannot_be_skipped_says_what_it_takes(province: Chat, registered) -> None:
    typed_to_section_iv(province)
    province.send("1. Tương đương ASEAN.")
    province.send("bo qua")  # Mục V is required free text: no provisional figure to offer
    assert "Mục này bắt buộc, không bỏ qua được. Nếu không có nội dung, Anh/Chị gõ «Không có»." in province.text
    assert "Tạm ước tính" not in province.text
    agency = registered("BTC-TBTC")
    agency.send("nop")
    agency.send("bỏ qua")  # a required yes/no question is never an estimate
    assert "Anh/Chị trả lời «Có» hoặc «Không»." in agency.text and "tạm ước tính" not in agency.text
    province.send("/nop 2026-Q3")
    province.send("bo qua")  # a figure: a provisional estimate is the way out
    assert "nhập số tạm ước tính" in province.text
