"""The kinds of activity of issue 5, in the four languages; administrators may add more."""

from django.db import migrations

KINDS = [
    # code, rank, role, vi, en, ar, fa
    (
        "dissemination",
        10,
        "general",
        "Buổi tuyên truyền, phổ biến",
        "Dissemination / propaganda session",
        "جلسة توعية ونشر",
        "جلسه آگاهی‌رسانی و ترویج",
    ),
    ("training", 20, "general", "Lớp tập huấn", "Training course", "دورة تدريبية", "دوره آموزشی"),
    ("conference", 30, "general", "Hội nghị", "Conference", "مؤتمر", "همایش"),
    (
        "summary_conference",
        40,
        "general",
        "Hội nghị sơ kết, tổng kết",
        "Summary conference (sơ kết / tổng kết)",
        "مؤتمر المراجعة والتقييم",
        "همایش جمع‌بندی و ارزیابی",
    ),
    ("thematic_meeting", 50, "general", "Sinh hoạt chuyên đề", "Thematic meeting", "اجتماع موضوعي", "نشست موضوعی"),
    (
        "workplace_dialogue",
        60,
        "workplace_dialogue",
        "Đối thoại định kỳ tại nơi làm việc",
        "Periodic dialogue at the workplace",
        "حوار دوري في مكان العمل",
        "گفت‌وگوی دوره‌ای در محل کار",
    ),
    (
        "leader_dialogue",
        70,
        "general",
        "Đối thoại giữa lãnh đạo với người lao động, nhân dân",
        "Dialogue between leaders and workers or citizens",
        "حوار بين القادة والعمال أو المواطنين",
        "گفت‌وگوی رهبران با کارگران یا شهروندان",
    ),
    (
        "employee_conference",
        80,
        "employee_conference",
        "Hội nghị người lao động",
        "Employee conference (hội nghị người lao động)",
        "مؤتمر العاملين",
        "همایش کارکنان",
    ),
    (
        "cultural_sports",
        90,
        "general",
        "Hoạt động văn hóa, thể thao",
        "Cultural or sports event",
        "فعالية ثقافية أو رياضية",
        "رویداد فرهنگی یا ورزشی",
    ),
    (
        "welfare_visit",
        100,
        "general",
        "Thăm hỏi, tặng quà",
        "Welfare visit (visits and gifts)",
        "زيارة رعاية وتقديم هدايا",
        "دیدار حمایتی و اهدای هدیه",
    ),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for code, rank, role, vi, en, ar, fa in KINDS:
        ActivityKind.objects.update_or_create(
            code=code,
            defaults={"rank": rank, "role": role, "name_vi": vi, "name_en": en, "name_ar": ar, "name_fa": fa},
        )


def unseed(apps, schema_editor):
    apps.get_model("activities", "ActivityKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial")]

    operations = [migrations.RunPython(seed, unseed)]
