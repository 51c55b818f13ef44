"""The batch driver: many inputs → one output folder, with isolation, atomic writes and a manifest.

    options   BatchOptions (how a run behaves; never what a document contains)
    inputs    which files, and the doc_id of each
    manifest  manifest.json: one entry per input, read back for incremental runs
    outputs   staging folders, the swap into place, recovery, the output lock, pruning
    process   one file in a worker: convert, write a staged folder, or a clear reason
    run       run_batch: plan → worker pool → finish
    console   what the user sees: progress bars or plain lines
    signals   Ctrl-C and SIGTERM
    workers   the process pool with per-file timeouts
"""

from pipeline.batch.manifest import ManifestEntry, read_manifest
from pipeline.batch.options import BatchOptions
from pipeline.batch.outputs import OutputLocked
from pipeline.batch.run import run_batch

__all__ = ["BatchOptions", "ManifestEntry", "OutputLocked", "read_manifest", "run_batch"]
