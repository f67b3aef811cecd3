import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.reference.authorities import authorities
from ofsted_findings.schemas import fields
from ofsted_findings.schemas.checks import codes_resolve
from ofsted_findings.schemas.types import Int, String, StringList


class Authorities(pa.DataFrameModel):
    """An English local authority with children's services (reference data)."""

    la_urn: Series[Int] = fields.la_urn(nullable=False, unique=True)
    la_code: Series[String] = pa.Field(description="Old three-digit DfE local authority code.")
    la_ons_code: Series[String] = fields.la_ons_code(nullable=False)
    local_authority: Series[String] = pa.Field(description="ONS name of the authority (the name used in every other table).")
    region_code: Series[String] = pa.Field(nullable=True, description="Region code (DfE).")
    region: Series[String] = pa.Field(nullable=True, description="Region name.")
    la_type: Series[String] = pa.Field(nullable=True, description="ONS authority type (e.g. London Borough, Metropolitan District, Unitary Authority).")
    population_0_25: Series[Int] = pa.Field(nullable=True, ge=0, description="ONS population aged 0-25.")
    statistical_neighbours: Series[StringList] = pa.Field(nullable=True, description="ONS codes of the authority's ten statistical neighbours, closest first; a code retired since the list was made is replaced by its successor's (reference/code_changes.csv), so every code is an la_ons_code of this table.")
    statistical_neighbour_la_codes: Series[StringList] = pa.Field(nullable=True, description="Three-digit LA codes of the ten statistical neighbours, closest first (retired codes replaced by their successors', as for statistical_neighbours).")

    @pa.dataframe_check
    def statistical_neighbours_resolve(cls, df: pd.DataFrame) -> pd.Series:
        """Each neighbour's ONS code is an authority of the reference list, as this table holds it
        (a retired code that no successor replaces would drop the neighbour from every
        comparison)."""
        return codes_resolve(df, "statistical_neighbours", {a.ons_code for a in authorities()})

    @pa.dataframe_check
    def statistical_neighbour_la_codes_resolve(cls, df: pd.DataFrame) -> pd.Series:
        return codes_resolve(df, "statistical_neighbour_la_codes", {a.la_code for a in authorities()})

    class Config:
        strict = True
        description = "English local authorities: URN, codes, region, statistical neighbours, population 0-25 (Data to Insight, MIT licence)."
        metadata = {"primary_key": ["la_urn"], "sort_by": ["local_authority"], "version": 1}
