import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.types import Int, String, StringList


class Authorities(pa.DataFrameModel):
    """An English local authority with children's services (reference data)."""

    la_urn: Series[Int] = pa.Field(unique=True, description="Ofsted URN of the authority's children's services.")
    la_code: Series[String] = pa.Field(description="Old three-digit DfE local authority code.")
    la_ons_code: Series[String] = pa.Field(str_matches=r"^E\d{8}$", description="ONS code of the authority (E06/E08/E09/E10...).")
    local_authority: Series[String] = pa.Field(description="ONS name of the authority (the name used in every other table).")
    region_code: Series[String] = pa.Field(nullable=True, description="Region code (DfE).")
    region: Series[String] = pa.Field(nullable=True, description="Region name.")
    la_type: Series[String] = pa.Field(nullable=True, description="ONS authority type (e.g. London Borough, Metropolitan District, Unitary Authority).")
    population_0_25: Series[Int] = pa.Field(nullable=True, ge=0, description="ONS population aged 0-25.")
    statistical_neighbours: Series[StringList] = pa.Field(nullable=True, description="ONS codes of the authority's ten statistical neighbours, closest first.")
    statistical_neighbour_la_codes: Series[StringList] = pa.Field(nullable=True, description="Three-digit LA codes of the ten statistical neighbours, closest first.")

    class Config:
        strict = True
        description = "English local authorities: URN, codes, region, statistical neighbours, population 0-25 (Data to Insight, MIT licence)."
        metadata = {"primary_key": ["la_urn"], "sort_by": ["local_authority"], "version": 1}
