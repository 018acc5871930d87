# minutes_public was a boolean (False meant both "not public" and "not stated"); it becomes a
# choice with "not stated" as its empty value. True becomes "public"; False becomes "not
# stated", since no document loaded so far says its minutes are private.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0006_organisation_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="termsofreference",
            name="interest_quorum",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not stated in the terms of reference"),
                    ("excluded", "Not counted for that item's quorum"),
                    ("counted", "Still counted for that item's quorum"),
                ],
                default="",
                help_text="Whether a member who declared an interest in an item counts towards that item's quorum; empty: not stated in the terms of reference.",
                max_length=10,
                verbose_name="members with a declared interest and the item's quorum",
            ),
        ),
        migrations.AlterField(
            model_name="termsofreference",
            name="minutes_public",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not stated in the terms of reference"),
                    ("public", "Public (items deemed confidential excepted)"),
                    ("not_public", "Not public: members only"),
                ],
                default="",
                help_text="Whether minutes are public; empty: not stated in the terms of reference.",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="termsofreference",
            name="voting_roles",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Seat roles that vote and count for quorum; empty: who votes is not stated in the terms of reference (then only chair, vice chair and resident seats count).",
            ),
        ),
        migrations.RunSQL(
            sql=(
                "UPDATE panels_termsofreference SET minutes_public = CASE minutes_public "
                "WHEN 'true' THEN 'public' ELSE '' END"
            ),
            reverse_sql=(
                "UPDATE panels_termsofreference SET minutes_public = CASE minutes_public "
                "WHEN 'public' THEN 'true' ELSE 'false' END"
            ),
        ),
    ]
