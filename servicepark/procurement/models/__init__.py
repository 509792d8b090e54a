from servicepark.procurement.models.catalogue import Catalogue, CatalogueEntry
from servicepark.procurement.models.purchaser import Purchaser

__all__ = ["Catalogue", "CatalogueEntry", "Purchaser"]
