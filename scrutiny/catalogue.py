"""The Regulator of Social Housing's Tenant Satisfaction Measures (TSMs), ready to adopt.

Codes and names as the regulator publishes them (Tenant Satisfaction Measures Standard,
April 2023). Measures in two parts (RP02, CH01, CH02, NM01) are reported as two figures,
so each part is its own measure. Targets are not the regulator's (it sets none): the
panel agrees its own when it adopts a measure.
"""

from dataclasses import dataclass

from scrutiny.models import Polarity

PERCENT = "%"
PER_THOUSAND = "per 1,000 homes"


@dataclass(frozen=True)
class CatalogueMeasure:
    code: str
    name: str
    definition: str
    unit: str = PERCENT
    polarity: str = Polarity.HIGHER_IS_BETTER


def _tp(code: str, name: str, definition: str) -> CatalogueMeasure:
    return CatalogueMeasure(code, name, f"Proportion of respondents {definition}.")


TENANT_SATISFACTION_MEASURES: tuple[CatalogueMeasure, ...] = (
    _tp(
        "TP01",
        "Overall satisfaction",
        "who report that they are satisfied with the overall service from their landlord",
    ),
    _tp(
        "TP02",
        "Satisfaction with repairs",
        "who have received a repair in the last 12 months who report that they are "
        "satisfied with the overall repairs service",
    ),
    _tp(
        "TP03",
        "Satisfaction with time taken to complete most recent repair",
        "who have received a repair in the last 12 months who report that they are "
        "satisfied with the time taken to complete their most recent repair",
    ),
    _tp(
        "TP04",
        "Satisfaction that the home is well maintained",
        "who report that they are satisfied that their home is well maintained",
    ),
    _tp(
        "TP05",
        "Satisfaction that the home is safe",
        "who report that they are satisfied that their home is safe",
    ),
    _tp(
        "TP06",
        "Satisfaction that the landlord listens to tenant views and acts upon them",
        "who report that they are satisfied that their landlord listens to tenant views "
        "and acts upon them",
    ),
    _tp(
        "TP07",
        "Satisfaction that the landlord keeps tenants informed about things that matter to them",
        "who report that they are satisfied that their landlord keeps them informed about "
        "things that matter to them",
    ),
    _tp(
        "TP08",
        "Agreement that the landlord treats tenants fairly and with respect",
        "who report that they agree their landlord treats them fairly and with respect",
    ),
    _tp(
        "TP09",
        "Satisfaction with the landlord's approach to handling complaints",
        "who report making a complaint in the last 12 months who are satisfied with their "
        "landlord's approach to complaints handling",
    ),
    _tp(
        "TP10",
        "Satisfaction that the landlord keeps communal areas clean and well maintained",
        "with communal areas who report that they are satisfied that their landlord keeps "
        "communal areas clean and well maintained",
    ),
    _tp(
        "TP11",
        "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
        "who report that they are satisfied that their landlord makes a positive "
        "contribution to their neighbourhood",
    ),
    _tp(
        "TP12",
        "Satisfaction with the landlord's approach to handling anti-social behaviour",
        "who report that they are satisfied with their landlord's approach to handling "
        "anti-social behaviour",
    ),
    CatalogueMeasure(
        "BS01",
        "Gas safety checks",
        "Proportion of homes for which all required gas safety checks have been carried out.",
    ),
    CatalogueMeasure(
        "BS02",
        "Fire safety checks",
        "Proportion of homes for which all required fire risk assessments have been carried out.",
    ),
    CatalogueMeasure(
        "BS03",
        "Asbestos safety checks",
        "Proportion of homes for which all required asbestos management surveys or "
        "re-inspections have been carried out.",
    ),
    CatalogueMeasure(
        "BS04",
        "Water safety checks",
        "Proportion of homes for which all required legionella risk assessments have been "
        "carried out.",
    ),
    CatalogueMeasure(
        "BS05",
        "Lift safety checks",
        "Proportion of homes for which all required communal passenger lift safety checks "
        "have been carried out.",
    ),
    CatalogueMeasure(
        "RP01",
        "Homes that do not meet the Decent Homes Standard",
        "Proportion of homes that do not meet the Decent Homes Standard.",
        polarity=Polarity.LOWER_IS_BETTER,
    ),
    CatalogueMeasure(
        "RP02(1)",
        "Repairs completed within target timescale: non-emergency",
        "Proportion of non-emergency responsive repairs completed within the landlord's "
        "target timescale.",
    ),
    CatalogueMeasure(
        "RP02(2)",
        "Repairs completed within target timescale: emergency",
        "Proportion of emergency responsive repairs completed within the landlord's target "
        "timescale.",
    ),
    CatalogueMeasure(
        "CH01(1)",
        "Complaints relative to the size of the landlord: stage one",
        "Number of stage one complaints received per 1,000 homes.",
        unit=PER_THOUSAND,
        polarity=Polarity.LOWER_IS_BETTER,
    ),
    CatalogueMeasure(
        "CH01(2)",
        "Complaints relative to the size of the landlord: stage two",
        "Number of stage two complaints received per 1,000 homes.",
        unit=PER_THOUSAND,
        polarity=Polarity.LOWER_IS_BETTER,
    ),
    CatalogueMeasure(
        "CH02(1)",
        "Complaints responded to within Complaint Handling Code timescales: stage one",
        "Proportion of stage one complaints responded to within the Housing Ombudsman's "
        "Complaint Handling Code timescales.",
    ),
    CatalogueMeasure(
        "CH02(2)",
        "Complaints responded to within Complaint Handling Code timescales: stage two",
        "Proportion of stage two complaints responded to within the Housing Ombudsman's "
        "Complaint Handling Code timescales.",
    ),
    CatalogueMeasure(
        "NM01(1)",
        "Anti-social behaviour cases relative to the size of the landlord",
        "Number of anti-social behaviour cases opened per 1,000 homes.",
        unit=PER_THOUSAND,
        polarity=Polarity.LOWER_IS_BETTER,
    ),
    CatalogueMeasure(
        "NM01(2)",
        "Anti-social behaviour cases that involve hate incidents",
        "Number of anti-social behaviour cases that involve hate incidents opened per 1,000 homes.",
        unit=PER_THOUSAND,
        polarity=Polarity.LOWER_IS_BETTER,
    ),
)

CATALOGUE_BY_CODE = {m.code: m for m in TENANT_SATISFACTION_MEASURES}
