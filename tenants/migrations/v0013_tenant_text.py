"""Tenant-defined text: per-locale names of pipelines and stages, and tenant mail templates (frozen).

Generated once from tenants/pipelines/tables.py, tenants/mailtemplates/tables.py and the catalogs of the
day (the seeded stage names' translations are literal here); later changes are new steps. Idempotent.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=13,
    name="tenant_text",
    statements=(
        'ALTER TABLE "pipelines" ADD COLUMN IF NOT EXISTS "names" JSONB NOT NULL DEFAULT \'{}\'',
        'ALTER TABLE "pipeline_stages" ADD COLUMN IF NOT EXISTS "names" JSONB NOT NULL DEFAULT \'{}\'',
        'CREATE TABLE IF NOT EXISTS "mail_templates" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "kind" VARCHAR(32) NOT NULL DEFAULT \'\', "locale" VARCHAR(8) NOT NULL DEFAULT \'\', "subject" VARCHAR(200) NOT NULL DEFAULT \'\', "body" TEXT NOT NULL DEFAULT \'\', "version" INTEGER NOT NULL DEFAULT 1, "updated_by" BIGINT DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE UNIQUE INDEX IF NOT EXISTS mail_templates_kind_locale ON "mail_templates" ("kind", "locale")',
        # The seeded names still as seeded get their catalog translations (untouched rows only: idempotent).
        'UPDATE pipelines SET names = \'{"ar": "المبيعات", "de": "Vertrieb", "en": "Sales", "es": "Ventas", "fr": "Ventes", "hi": "बिक्री", "ja": "営業", "pt_BR": "Vendas"}\'::jsonb WHERE name = \'Sales\' AND names = \'{}\'::jsonb',
        'UPDATE pipeline_stages SET names = \'{"ar": "التأهيل", "de": "Qualifizierung", "en": "Qualification", "es": "Calificación", "fr": "Qualification", "hi": "योग्यता जाँच", "ja": "見極め", "pt_BR": "Qualificação"}\'::jsonb WHERE name = \'Qualification\' AND names = \'{}\'::jsonb',
        'UPDATE pipeline_stages SET names = \'{"ar": "تحليل الاحتياجات", "de": "Bedarfsanalyse", "en": "Needs analysis", "es": "Análisis de necesidades", "fr": "Analyse des besoins", "hi": "ज़रूरतों का विश्लेषण", "ja": "ニーズ分析", "pt_BR": "Análise de necessidades"}\'::jsonb WHERE name = \'Needs analysis\' AND names = \'{}\'::jsonb',
        'UPDATE pipeline_stages SET names = \'{"ar": "العرض", "de": "Angebot", "en": "Proposal", "es": "Propuesta", "fr": "Proposition", "hi": "प्रस्ताव", "ja": "提案", "pt_BR": "Proposta"}\'::jsonb WHERE name = \'Proposal\' AND names = \'{}\'::jsonb',
        'UPDATE pipeline_stages SET names = \'{"ar": "التفاوض", "de": "Verhandlung", "en": "Negotiation", "es": "Negociación", "fr": "Négociation", "hi": "बातचीत", "ja": "交渉", "pt_BR": "Negociação"}\'::jsonb WHERE name = \'Negotiation\' AND names = \'{}\'::jsonb',
        'UPDATE pipeline_stages SET names = \'{"ar": "رابحة", "de": "Gewonnen", "en": "Won", "es": "Ganada", "fr": "Gagnée", "hi": "जीती", "ja": "受注", "pt_BR": "Ganho"}\'::jsonb WHERE name = \'Won\' AND names = \'{}\'::jsonb',
        'UPDATE pipeline_stages SET names = \'{"ar": "خاسرة", "de": "Verloren", "en": "Lost", "es": "Perdida", "fr": "Perdue", "hi": "हारी", "ja": "失注", "pt_BR": "Perdido"}\'::jsonb WHERE name = \'Lost\' AND names = \'{}\'::jsonb',
    ),
)
