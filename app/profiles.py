"""Starting lists for each business profile (mall, salon, hotel): labels in three languages.

These are data for the editable lists (`list_values`), not program texts: once applied to a
database a supervisor can rename, reorder or deactivate them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.codes import msgids
from app.i18n import translate
from app.models import ListValue
from app.survey_defaults import seed_questions

Row = tuple[str, str, str, str]  # code, 简体, 繁體, English

SUBJECTS: list[Row] = [
    ("product", "商品", "商品", "Product"),
    ("service", "服务", "服務", "Service"),
    ("staff", "员工", "員工", "Staff"),
    ("environment", "环境", "環境", "Environment"),
    ("price", "价格", "價格", "Price"),
    ("other", "其他", "其他", "Other"),
]

CATEGORIES: dict[str, list[Row]] = {
    "mall": [
        ("product_quality", "商品质量", "商品質量", "Product quality"),
        ("tenant_service", "商户服务", "商戶服務", "Tenant shop service"),
        ("parking", "停车", "停車", "Parking"),
        ("facilities", "设施设备", "設施設備", "Facilities"),
        ("safety", "安全", "安全", "Safety"),
        ("price_promotion", "价格促销", "價格促銷", "Price / promotion"),
        ("cleanliness", "环境卫生", "環境衛生", "Cleanliness"),
        ("staff_attitude", "服务态度", "服務態度", "Staff attitude"),
    ],
    "salon": [
        ("treatment_effect", "护理效果", "護理效果", "Treatment effect"),
        ("skin_reaction", "皮肤过敏反应", "皮膚過敏反應", "Skin reaction"),
        ("hygiene", "卫生消毒", "衛生消毒", "Hygiene"),
        ("staff_attitude", "服务态度", "服務態度", "Staff attitude"),
        ("upselling", "强制推销", "強迫推銷", "Upselling"),
        ("booking", "预约安排", "預約安排", "Booking"),
        ("prepaid_card", "储值卡", "儲值卡", "Prepaid card"),
    ],
    "hotel": [
        ("room_cleanliness", "客房卫生", "客房衛生", "Room cleanliness"),
        ("noise", "噪音", "噪音", "Noise"),
        ("check_in", "入住办理", "入住辦理", "Check-in"),
        ("billing", "账单费用", "賬單費用", "Billing"),
        ("facilities", "设施设备", "設施設備", "Facilities"),
        ("food", "餐饮", "餐飲", "Food and beverage"),
        ("staff_attitude", "服务态度", "服務態度", "Staff attitude"),
    ],
}

DEPARTMENTS: dict[str, list[Row]] = {
    "mall": [
        ("customer_service", "客服中心", "客服中心", "Customer service"),
        ("operations", "营运部", "營運部", "Operations"),
        ("property", "物业工程部", "物業工程部", "Property & engineering"),
        ("security", "安保部", "保安部", "Security"),
        ("marketing", "市场部", "市場部", "Marketing"),
        ("tenant_b1_food", "B1 美食广场", "B1 美食廣場", "B1 food court"),
        ("tenant_l2_fashion", "2F 服饰店", "2F 服飾店", "L2 fashion shop"),
    ],
    "salon": [
        ("front_desk", "前台", "前台", "Front desk"),
        ("beauty", "美容部", "美容部", "Beauty"),
        ("hair", "美发部", "美髮部", "Hair"),
        ("spa", "SPA 理疗", "SPA 理療", "Spa"),
    ],
    "hotel": [
        ("front_office", "前厅部", "前廳部", "Front office"),
        ("housekeeping", "客房部", "房務部", "Housekeeping"),
        ("food_beverage", "餐饮部", "餐飲部", "Food & beverage"),
        ("engineering", "工程部", "工程部", "Engineering"),
        ("security", "保安部", "保安部", "Security"),
    ],
}

ROOT_CAUSES: list[Row] = [
    ("training", "员工培训不足", "員工培訓不足", "Insufficient staff training"),
    ("process", "流程缺陷", "流程缺陷", "Process gap"),
    ("product_defect", "商品缺陷", "商品缺陷", "Product defect"),
    ("communication", "沟通不到位", "溝通不到位", "Poor communication"),
    ("equipment", "设备故障", "設備故障", "Equipment failure"),
    ("misunderstanding", "顾客误解", "顧客誤解", "Customer misunderstanding"),
]


def solution_type_rows() -> list[Row]:
    """The built-in solution types, labelled from the program's catalogs (app/codes.py); a
    supervisor renames, adds and retires them like any other list (issue 12)."""
    return [(code, translate(msgid, "zh-Hans"), translate(msgid, "zh-Hant"),
             translate(msgid, "en")) for code, msgid in msgids("solution_type").items()]


def apply_profile(session: Session, profile: str) -> None:
    """Add the profile's lists (codes already present are left as they are)."""
    wanted: dict[str, list[Row]] = {
        "subject": SUBJECTS,
        "category": CATEGORIES[profile],
        "department": DEPARTMENTS[profile],
        "root_cause": ROOT_CAUSES,
        "solution_type": solution_type_rows(),
    }
    for kind, rows in wanted.items():
        existing = set(session.scalars(select(ListValue.code).where(ListValue.kind == kind)))
        position = session.scalar(
            select(func.coalesce(func.max(ListValue.position), 0)).where(ListValue.kind == kind)
        ) or 0
        for code, hans, hant, en in rows:
            if code in existing:
                continue
            position += 1
            session.add(ListValue(kind=kind, code=code, label_zh_hans=hans, label_zh_hant=hant,
                                  label_en=en, position=position, active=True))
    session.flush()
    # The standard phrases (话术) come with the profile too (issue 12: app/phrase_defaults.py).
    from app.phrase_defaults import seed_phrases

    seed_phrases(session, profile)
    # And its satisfaction questionnaire (issue 20: app/survey_defaults.py).
    seed_questions(session, profile, clock.now())
