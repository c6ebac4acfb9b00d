-- What the warehouse was built from, so every page can say whether its
-- figures are real customs data or the synthetic demonstration sample.
select
    provenance.dataset_name,
    provenance.is_synthetic,
    provenance.file_count,
    provenance.row_count,
    provenance.loaded_at,
    provenance.first_year,
    provenance.last_year
from marts.data_provenance as provenance
order by provenance.dataset_name
