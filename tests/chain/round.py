"""A province's Form 2 round played through the chat: three agencies answer, the analyst works the round."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from storage.models import OutboxMessage
from tests.helpers.chat import Chat

SECTIONS = ("Nâng cấp máy chủ, 1.200 triệu đồng", "Tổ công nghệ 5 người", "Phát hành trên ứng dụng di động",
            "Xây dựng Kế hoạch chuyển đổi số: đã ban hành", "Vận hành tòa soạn hội tụ", "Lãnh đạo quan tâm",
            "Doanh thu số còn thấp", "Đầu tư đồng bộ hạ tầng và con người")
# typed answers of each agency: questions 1-13, then the ten text sections (I.2-I.4, II, III.1-4, IV, V)
AGENCIES = {
    "QT-BAO": ("có", "có", "không", "có", "có", "12.500/10.000", "3.200/12.500", "40/50", "có", "15%", "512,5",
               "3.200/2.500", "có", *SECTIONS, "Thiếu kinh phí hạ tầng (Báo)", "Hỗ trợ nền tảng dùng chung (Báo)"),
    "QT-DAI": ("có", "có", "có", "có", "không", "11.000/10.000", "1.500/11.000", "60/60", "có", "10%", "480",
               "1.500/1.000", "có", *SECTIONS, "Thiếu nhân lực công nghệ (Đài)", "Đào tạo kỹ năng số (Đài)"),
    "QT-CUAVIET": ("có", "không", "không", "không", "không", "1.000/1.000", "100/1.000", "5/10", "không", "5%",
                   "300", "100/80", "không", *SECTIONS, "Kinh phí hạn hẹp (Cửa Việt)",
                   "Hỗ trợ chuyển đổi tạp chí điện tử (Cửa Việt)"),
}
PROVINCE_PART = ("Sở đã hướng dẫn 3/3 cơ quan dùng nền tảng chung", "3/3 cơ quan báo chí đã có Kế hoạch",
                 "UBND tỉnh quan tâm chỉ đạo", "Doanh thu số chưa tăng như mục tiêu", "Đầu tư tập trung",
                 "Thiếu kinh phí cho chuyển đổi số (tỉnh)", "Đề nghị Bộ hỗ trợ nền tảng dùng chung (tỉnh)")


def answer_all(chat: Chat, answers: tuple[str, ...]) -> None:
    """Answer every question from the first, then send from the review."""
    chat.send("/nop CDS 2026")
    for text in answers:
        chat.send(text)
    assert chat.title.startswith("Tóm tắt"), chat.text
    chat.press("Gửi")
    assert "Mã biên nhận" in chat.text, chat.text


def notices(app: App, chat: Chat) -> list[dict]:
    """Messages queued for `chat`'s person that it did not ask for (notices from the chain)."""
    with app.uow() as uow:
        rows = uow.session.query(OutboxMessage).filter(OutboxMessage.chat_id == chat.sender.chat_id,
                                                       OutboxMessage.kind == "notice").order_by(OutboxMessage.id)
        return [r.payload for r in rows]


def agencies(registered: Callable[..., Chat]) -> dict[str, Chat]:
    """A focal person for each of Quảng Trị's three press agencies."""
    return {code: registered(code, name=f"Đầu mối {code}") for code in AGENCIES}
