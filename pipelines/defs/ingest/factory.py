"""One multi-asset per connector: its raw tables, keyed as the dbt sources that read them."""

from collections.abc import Callable, Iterator
from datetime import timedelta

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Backoff,
    DataVersion,
    Failure,
    FreshnessPolicy,
    Jitter,
    MaterializeResult,
    RetryPolicy,
    multi_asset,
)
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, build_dlt_asset_specs
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.extract.source import DltSource

from connectors.common.http import AuthError, RateLimitError, SourceError
from connectors.common.pipeline import dataset_name, loader_file_format, make_pipeline
from connectors.common.shape import SchemaDrift
from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings, warehouse_connection
from pipelines.settings import Settings

# transient failures the connector's own HTTP retries did not absorb: 30 s, 60 s, 120 s
CONNECTOR_RETRY = RetryPolicy(max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)
# loaded daily: a raw table older than a day and some slack means the load stopped arriving
RAW_FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(hours=26), warn_window=timedelta(hours=25))


class RawTableTranslator(DagsterDltTranslator):
    """Keys a raw table [source, table]: the key dagster-dbt gives the dbt source that reads it.
    Its freshness policy flags a source whose daily load stopped arriving."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> AssetSpec:
        spec = super().get_asset_spec(data)
        resource = data.resource
        table = resource.name if callable(resource.table_name) else resource.table_name
        # dagster-dlt's default deps point at made-up upstream keys; a raw table starts the graph
        return spec.replace_attributes(
            key=AssetKey([resource.source_name, table]),
            deps=[],
            group_name=resource.source_name,
            freshness_policy=RAW_FRESHNESS,
        ).merge_attributes(kinds={"duckdb"})


def ingest_assets(
    source_name: str, placeholder_source: DltSource, build_source: Callable[[Settings], DltSource | None]
) -> AssetsDefinition:
    """The assets of one connector.

    `placeholder_source` only names the resources (built with placeholder arguments, so no
    secret is read when Dagster loads the code); `build_source` makes the real source from
    the run's settings, or returns None when the source is not configured.
    """
    translator = RawTableTranslator()

    @multi_asset(
        name=source_name,
        # the pipeline is made per run from the settings; specs only need the resources
        specs=build_dlt_asset_specs(placeholder_source, None, translator),
        can_subset=True,
        pool=WAREHOUSE_POOL,
        retry_policy=CONNECTOR_RETRY,
        description=f"Loads the {source_name} connector's raw tables into raw_{source_name}.",
    )
    def _assets(
        context: AssetExecutionContext, dlt: DagsterDltResource, loadbearing: LoadbearingSettings
    ) -> Iterator[MaterializeResult]:
        settings = loadbearing.settings
        source = build_source(settings)
        if source is None:
            context.log.info(f"{source_name}: not configured, nothing fetched")
            results = [
                MaterializeResult(asset_key=key, metadata={"skipped": "source not configured"})
                for key in context.selected_asset_keys
            ]
        else:
            pipeline = make_pipeline(source_name, settings.load.destination, str(settings.pipelines_dir))
            try:
                results = list(
                    dlt.run(
                        context,
                        dlt_source=source,
                        dlt_pipeline=pipeline,
                        dagster_dlt_translator=translator,
                        loader_file_format=loader_file_format(settings.load.destination),
                    )
                )
            except Exception as exc:
                raise source_failure(source_name, exc) from None
        yield from with_data_versions(results, dataset_name(source_name), settings)

    return _assets


def with_data_versions(
    results: list[MaterializeResult], dataset: str, settings: Settings
) -> Iterator[MaterializeResult]:
    """Each raw table's result with its content as data version (pipelines/defs/versions.py), so
    that the steps after it can tell a load that changed nothing from one that did."""
    with warehouse_connection(settings) as con:
        versions = {result.asset_key: con.table_version(dataset, result.asset_key.path[-1]) for result in results}
    for result in results:
        yield MaterializeResult(
            asset_key=result.asset_key,
            metadata=result.metadata,
            data_version=DataVersion(versions[result.asset_key]),
            tags=result.tags,
            check_results=result.check_results,
        )


def source_failure(source_name: str, exc: BaseException) -> Failure:
    """A failure whose description names the source and what to fix.

    The cause chain is not attached: dlt's wrappers repeat it at length, and the connector's
    message already says what happened.
    """
    cause = _root_cause(exc)
    if isinstance(cause, SourceError):
        # a rejected token, an exhausted rate-limit budget or a changed API does not heal within minutes
        retry = not isinstance(cause, (AuthError, RateLimitError, SchemaDrift))
        return Failure(description=f"{source_name}: {cause}", allow_retries=retry)
    return Failure(description=f"{source_name}: {type(cause).__name__}: {cause}", allow_retries=True)


def _root_cause(exc: BaseException) -> BaseException:
    """The connector's own error inside dlt's PipelineStepFailed/ResourceExtractionError wrappers."""
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SourceError):
            return current
        inner = getattr(current, "exception", None) or current.__cause__ or current.__context__
        if not isinstance(inner, BaseException):
            break
        current = inner
    return current


def present(**arguments):
    """The arguments that are set; the others keep the connector's defaults."""
    return {name: value for name, value in arguments.items() if value is not None}
