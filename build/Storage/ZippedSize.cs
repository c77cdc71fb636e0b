using System.IO.Compression;

namespace Filare.Perf.Storage;

/// <summary>
/// About what a set of files weighs once actions/upload-artifact has zipped them (deflate at its default
/// level 6, .NET's Optimal): the size GitHub stores and counts against the repository's quota. Text
/// reports (Scalene's HTML, callgrind files, SVG) shrink ten to twenty times, so their bytes on disk
/// overstate what a run costs.
/// </summary>
public static class ZippedSize
{
    /// <summary>A zip entry's local header and central-directory record, beside its name written twice.</summary>
    private const int EntryOverhead = 30 + 46;

    public static long Of(IEnumerable<string> files, string root) =>
        files.Sum(file => Deflated(file) + EntryOverhead + 2L * Path.GetRelativePath(root, file).Length);

    private static long Deflated(string file)
    {
        using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var counter = new CountingStream();
        using (var deflate = new DeflateStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            input.CopyTo(deflate);
        }
        // A zip stores an entry as is when deflate would not make it smaller (PNG, already compressed).
        return Math.Min(counter.Length, input.Length);
    }

    /// <summary>A sink that only counts: the compressed bytes are never kept.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
