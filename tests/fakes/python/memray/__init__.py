"""Fake `memray` package (emulates memray 1.19's CLI and `memray.FileReader`) for Filare.Perf's tests.

Put tests/fakes/python on PYTHONPATH and run `python -m memray ...`. The capture file is this fake's
own format (a header line and JSON), readable only by this FileReader; the peak memory in it is
tracemalloc's peak (Python heap, like memray's heap high-water mark), the allocation count a proxy.
Sources (details and quotes in ../../CONTRACTS.md):

- `Metadata` fields: bloomberg/memray src/memray/_metadata.py @ a08f4257 (start_time, end_time,
  total_allocations, total_frames, peak_memory, command_line, pid, main_thread_id, python_allocator,
  has_native_traces, trace_python_allocators, file_format).
- `FileReader(file_name, *, report_progress=False, max_memory_records=10000)`, `.metadata`,
  `FileFormat.ALL_ALLOCATIONS/AGGREGATED_ALLOCATIONS`, the open error "Could not open file X: <strerror>",
  `compute_statistics` refusing aggregated captures with NotImplementedError("Can't compute statistics
  using a pre-aggregated capture file."): src/memray/_memray.pyx @ a43f149a.
- `Stats` fields: src/memray/_stats.py @ b7dfa2d1.
Not established: what the real reader raises on a file that is not a capture (here: OSError).
"""
import dataclasses
import datetime
import enum
import json
import os
from collections import namedtuple

__version__ = os.environ.get("FAKE_MEMRAY_VERSION", "1.19.1")
MAGIC = b"MEMRAY-FAKE-CAPTURE 1\n"
MemorySnapshot = namedtuple("MemorySnapshot", "time rss heap")


class FileFormat(enum.IntEnum):
    ALL_ALLOCATIONS = 0
    AGGREGATED_ALLOCATIONS = 1


class AllocatorType(enum.IntEnum):
    MALLOC = 1
    FREE = 2
    CALLOC = 3
    REALLOC = 4


@dataclasses.dataclass
class Metadata:
    start_time: datetime.datetime
    end_time: datetime.datetime
    total_allocations: int
    total_frames: int
    peak_memory: int
    command_line: str
    pid: int
    main_thread_id: int
    python_allocator: str
    has_native_traces: bool
    trace_python_allocators: bool
    file_format: FileFormat


@dataclasses.dataclass
class Stats:
    metadata: Metadata
    total_num_allocations: int
    total_memory_allocated: int
    peak_memory_allocated: int
    allocation_count_by_size: dict
    allocation_count_by_allocator: dict
    top_locations_by_size: list
    top_locations_by_count: list


def _millis_to_dt(millis):
    return datetime.datetime.fromtimestamp(millis // 1000).replace(microsecond=millis % 1000 * 1000).astimezone()


def _read_header(path):
    with open(path, "rb") as capture:
        if capture.read(len(MAGIC)) != MAGIC:
            raise OSError(f"Invalid input file: {path} is not a (fake) memray capture")
        return json.loads(capture.read())


def _metadata(header):
    return Metadata(
        start_time=_millis_to_dt(header["start_time"]), end_time=_millis_to_dt(header["end_time"]),
        total_allocations=header["n_allocations"], total_frames=header["n_frames"],
        peak_memory=header["peak_memory"], command_line=header["command_line"], pid=header["pid"],
        main_thread_id=header["main_tid"], python_allocator=header["python_allocator"],
        has_native_traces=header["native_traces"], trace_python_allocators=header["trace_python_allocators"],
        file_format=FileFormat(header["file_format"]))


class FileReader:
    def __init__(self, file_name, *, report_progress=False, max_memory_records=10000):
        try:
            open(file_name, "rb").close()
        except OSError as exc:
            raise OSError(f"Could not open file {file_name}: {exc.strerror}") from None
        self._header = _read_header(file_name)
        self._closed = False

    @property
    def metadata(self):
        return _metadata(self._header)

    @property
    def closed(self):
        return self._closed

    def close(self):
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_memory_snapshots(self):
        header = self._header
        yield MemorySnapshot(header["start_time"], header["maxrss"], 0)
        yield MemorySnapshot(header["end_time"], header["maxrss"], header["peak_memory"])

    def get_high_watermark_allocation_records(self, merge_threads=True):
        return iter(())  # the fake records no individual allocations

    get_leaked_allocation_records = get_high_watermark_allocation_records

    def get_temporary_allocation_records(self, merge_threads=True, threshold=1):
        if self._header["file_format"] == FileFormat.AGGREGATED_ALLOCATIONS:
            raise NotImplementedError("Can't find temporary allocations using a pre-aggregated capture file.")
        return iter(())

    def get_temporal_allocation_records(self, merge_threads=True):
        if self._header["file_format"] == FileFormat.AGGREGATED_ALLOCATIONS:
            raise NotImplementedError("Can't get allocation history using a pre-aggregated capture file.")
        return iter(())

    def get_allocation_records(self):
        if self._header["file_format"] == FileFormat.AGGREGATED_ALLOCATIONS:
            raise NotImplementedError("Can't get all allocations from a pre-aggregated capture file.")
        return iter(())


def compute_statistics(file_name, *, report_progress=False, num_largest=5):
    header = _read_header(file_name)
    if header["file_format"] == FileFormat.AGGREGATED_ALLOCATIONS:
        raise NotImplementedError("Can't compute statistics using a pre-aggregated capture file.")
    top = [tuple(location) for location in header["top_locations"]][:num_largest]
    return Stats(
        metadata=_metadata(header), total_num_allocations=header["n_allocations"],
        total_memory_allocated=header["total_bytes"], peak_memory_allocated=header["peak_memory"],
        allocation_count_by_size={int(k): v for k, v in header["count_by_size"].items()},
        allocation_count_by_allocator={"MALLOC": header["n_allocations"]},
        top_locations_by_size=[((fn, f, line), size) for fn, f, line, size, _ in top],
        top_locations_by_count=[((fn, f, line), count) for fn, f, line, _, count in top])


__all__ = ["AllocatorType", "FileFormat", "FileReader", "MemorySnapshot", "Metadata", "Stats",
           "compute_statistics", "__version__"]
