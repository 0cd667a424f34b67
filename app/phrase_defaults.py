"""The standard phrases (话术) a new desk starts with: data, not program texts.

Each entry is written three times the way a service desk would say it: 简体 as at a counter in
mainland China, 繁體 in Hong Kong / Taiwan wording, and English. `____` marks a blank the clerk
fills in (a time, a reference); the phrase picker selects the first blank after inserting.
Once seeded, phrases belong to the desk: a supervisor edits, reorders or retires them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Phrase

# kind, category code (None: any complaint), 简体, 繁體, English
Entry = tuple[str, str | None, str, str, str]

GENERAL: list[Entry] = [
    ("apology", None,
     "非常抱歉给您带来了不愉快的体验，我们对此深表歉意。",
     "非常抱歉為您帶來不愉快的體驗，我們對此深表歉意。",
     "We are very sorry for the unpleasant experience you had."),
    ("apology", None,
     "给您添麻烦了，真的很抱歉。您反映的情况我已经详细记录下来了。",
     "為您帶來不便，實在很抱歉。您反映的情況我已經詳細記錄下來。",
     "We are sorry for the trouble this has caused you. I have written down everything you "
     "told us."),
    ("apology", None,
     "这是我们的工作没有做到位，我代表公司向您郑重道歉。",
     "這是我們做得不夠好，我代表公司向您致以誠摯的歉意。",
     "We did not get this right, and I apologise on behalf of the company."),
    ("apology", None,
     "让您久等了，非常抱歉。",
     "讓您久等了，非常抱歉。",
     "Sorry to have kept you waiting."),
    ("thanks", None,
     "感谢您把这个情况告诉我们，您的意见对我们改进服务非常重要。",
     "感謝您把情況告訴我們，您的意見對我們改善服務非常重要。",
     "Thank you for telling us about this; your feedback helps us improve our service."),
    ("thanks", None,
     "谢谢您的理解和耐心。",
     "謝謝您的體諒與耐心。",
     "Thank you for your understanding and patience."),
    ("thanks", None,
     "感谢您一直以来对我们的支持与信任。",
     "感謝您一直以來對我們的支持與信任。",
     "Thank you for your continued support and trust."),
    ("explanation", None,
     "我们已经把您的情况转给相关部门核实，核实清楚后会第一时间联系您。",
     "我們已將您的情況轉交相關部門核實，核實清楚後會第一時間聯絡您。",
     "We have passed your case to the department concerned to check the facts, and we will "
     "contact you as soon as we know more."),
    ("explanation", None,
     "为了尽快帮您处理，需要向您核实几个细节，请问现在方便吗？",
     "為了盡快幫您處理，需要向您核對幾個細節，請問現在方便嗎？",
     "To sort this out quickly for you, may I check a few details with you now?"),
    ("explanation", None,
     "按照规定，退换货需要凭购物小票或付款记录办理，麻烦您提供一下。",
     "根據規定，退換貨需憑購物收據或付款記錄辦理，麻煩您提供一下。",
     "Under our policy a refund or exchange needs the receipt or the payment record; could "
     "you show it to us, please?"),
    ("explanation", None,
     "您的投诉已经登记，受理编号是____，之后可以凭这个编号查询处理进度。",
     "您的投訴已經登記，受理編號為____，之後可憑此編號查詢處理進度。",
     "Your complaint is registered under reference ____; please quote it when you ask about "
     "progress."),
    ("time_promise", None,
     "我们会在____之前给您答复，请您保持电话畅通。",
     "我們會在____之前給您答覆，請保持電話暢通。",
     "We will get back to you by ____; please keep your phone at hand."),
    ("time_promise", None,
     "今天之内我们会安排专人与您联系。",
     "今天之內我們會安排專人與您聯絡。",
     "Someone from our team will contact you today."),
    ("time_promise", None,
     "处理进展我们会随时告诉您，最迟不超过____。",
     "處理進展我們會隨時通知您，最遲不超過____。",
     "We will keep you informed, and you will hear from us by ____ at the latest."),
    ("closing", None,
     "请问还有其他需要帮您的吗？",
     "請問還有其他需要幫忙的地方嗎？",
     "Is there anything else I can help you with?"),
    ("closing", None,
     "再次向您表示歉意，祝您生活愉快，欢迎您再次光临。",
     "再次向您致歉，祝您生活愉快，歡迎再次光臨。",
     "Once again, our apologies. Have a good day; we hope to welcome you again."),
    ("closing", None,
     "事情处理完以后我们会给您回访，听听您的意见。",
     "事情處理完畢後，我們會再回訪，聽聽您的意見。",
     "Once this is resolved we will call you back to hear how it went."),
]

BY_PROFILE: dict[str, list[Entry]] = {
    "mall": [
        ("explanation", "product_quality",
         "商品质量问题我们会联系商户一起核实，如确属质量问题，将按规定为您办理退换。",
         "商品質量問題我們會聯絡商戶一同核實，如確屬質量問題，將按規定為您辦理退換。",
         "We will check the product together with the shop; if it is faulty, we will arrange "
         "a refund or exchange as the rules provide."),
        ("apology", "parking",
         "停车给您造成了不便，非常抱歉，我们马上安排工作人员到现场查看。",
         "停車為您帶來不便，非常抱歉，我們即時安排同事到場了解。",
         "Sorry for the trouble with parking; a colleague is on the way to look into it."),
        ("explanation", "tenant_service",
         "您反映的店铺服务问题，我们会督促商户整改，并把结果告诉您。",
         "您反映的店鋪服務問題，我們會督促商戶改善，並將結果告知您。",
         "We will ask the shop to put right the service problem you reported and tell you the "
         "outcome."),
    ],
    "salon": [
        ("explanation", "skin_reaction",
         "出现皮肤不适我们非常重视，请您先停用相关产品，我们会安排专人跟进，必要时陪同您就医。",
         "出現皮膚不適我們非常重視，請您先停用相關產品，我們會安排專人跟進，如有需要陪同您就醫。",
         "We take any skin reaction very seriously. Please stop using the product; someone "
         "will follow up with you and, if needed, go with you to see a doctor."),
        ("explanation", "treatment_effect",
         "护理效果因人而异，我们会请技师重新为您评估，并调整护理方案。",
         "護理效果因人而異，我們會請美容師重新為您評估，並調整護理方案。",
         "Results differ from person to person; a therapist will assess you again and adjust "
         "the treatment plan."),
        ("apology", "upselling",
         "让您感到被强行推销，是我们做得不好，我们会对相关员工加强培训。",
         "令您感到被強迫推銷，是我們做得不好，我們會對相關員工加強培訓。",
         "We are sorry you felt pressured to buy; we will speak to the staff member and "
         "retrain our team."),
        ("explanation", "prepaid_card",
         "储值卡的余额和消费记录，我们可以马上帮您查询并打印出来。",
         "儲值卡的餘額及消費記錄，我們可以即時幫您查詢並列印。",
         "We can look up and print your prepaid card balance and history right away."),
    ],
    "hotel": [
        ("apology", "room_cleanliness",
         "房间卫生没有达到标准，非常抱歉，我们马上安排客房部重新打扫，或者为您更换房间。",
         "房間衛生未達標準，非常抱歉，我們即時安排房務部重新清潔，或為您更換房間。",
         "I am sorry the room was not clean; housekeeping will clean it again right away, or "
         "we can move you to another room."),
        ("time_promise", "noise",
         "噪音问题我们马上派人处理，十五分钟内给您回电。",
         "噪音問題我們即時派人處理，十五分鐘內回電給您。",
         "We are sending someone to deal with the noise now and will call you back within "
         "15 minutes."),
        ("explanation", "billing",
         "账单明细我们马上为您逐项核对，如有多收会立即退还。",
         "賬單明細我們即時為您逐項核對，如有多收會立即退還。",
         "We will go through the bill with you item by item now; anything charged in error "
         "will be refunded at once."),
    ],
}

LANGS = ("zh-Hans", "zh-Hant", "en")


def seed_phrases(session: Session, profile: str) -> int:
    """Add the default phrases: the general ones when the desk has none yet, and the
    profile's ones for categories that have no phrase yet. Returns how many rows were added.

    Called when a profile is applied (app/profiles.apply_profile), so a phrase a supervisor
    changed or retired is never put back."""
    has_general = session.scalar(select(func.count()).select_from(Phrase)
                                 .where(Phrase.category.is_(None))) or 0
    covered = set(session.scalars(select(Phrase.category).where(Phrase.category.is_not(None))))
    wanted = [] if has_general else list(GENERAL)
    wanted += [e for e in BY_PROFILE.get(profile, []) if e[1] not in covered]
    position = session.scalar(select(func.coalesce(func.max(Phrase.position), 0))) or 0
    added = 0
    for kind, category, *texts in wanted:
        position += 1
        for lang, text in zip(LANGS, texts, strict=True):
            session.add(Phrase(kind=kind, category=category, language=lang, text=text,
                               position=position, active=True))
            added += 1
    session.flush()
    return added
