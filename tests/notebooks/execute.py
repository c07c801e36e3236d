"""Executes one notebook in the Deno Jupyter kernel with nbclient (Debian's python3-nbclient).

Usage: /usr/bin/python3 execute.py INPUT.ipynb OUTPUT.ipynb WORKING_DIR

Why not plain `jupyter nbconvert --execute`: Deno's kernel often publishes a cell's last outputs
(stdout lines, the execute_result) on IOPub a few milliseconds *after* its `idle` status, and
nbclient stops listening at `idle`, so outputs went missing at random (measured: up to ~70 ms
late, in a large share of cells). This client keeps listening after `idle` until the kernel has
been quiet for QUIET_SECONDS, or until the execute_result, which it always sends last.

The first failing cell stops the run (later cells would only fail for the same reason); the
notebook is written either way, so the caller reports the error from the cell's output.
"""

import sys
from queue import Empty

INSTALL_HINT = (
    "install Jupyter and the Deno kernel: apt-get install -y jupyter-client jupyter-nbconvert "
    "python3-nbclient && deno jupyter --install (or run .ci/run)"
)

try:
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_core.utils import ensure_async
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionComplete, CellExecutionError
except ImportError as error:
    sys.exit(f"{error}: {INSTALL_HINT}")

QUIET_SECONDS = 0.3
CELL_TIMEOUT_SECONDS = 600


class LateOutputClient(NotebookClient):
    """A NotebookClient that also collects the outputs a kernel sends after `idle`."""

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while not any(out.get("output_type") == "execute_result" for out in cell.outputs):
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=QUIET_SECONDS))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


def main(source, target, cwd):
    notebook = nbformat.read(source, as_version=4)
    client = LateOutputClient(
        notebook,
        kernel_name="deno",
        timeout=CELL_TIMEOUT_SECONDS,
        startup_timeout=120,
        record_timing=False,
        resources={"metadata": {"path": cwd}},
    )
    failed = False
    try:
        client.execute()
    except CellExecutionError:
        failed = True
    except NoSuchKernel:
        sys.exit(f'no "deno" Jupyter kernel: {INSTALL_HINT}')
    nbformat.write(notebook, target)
    print("stopped at the first failing cell" if failed else "all cells ran", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
