using System.Buffers.Binary;
using System.Text;

namespace Filare.Perf.Analysis;

/// <summary>One function's totals in a cProfile capture: the key pstats uses, its primitive-call count and own time.</summary>
public sealed record PstatsEntry(string File, int Line, string Function, long Calls, double TotalSeconds);

/// <summary>
/// Reads a .pstats file without Python: the file is <c>marshal.dump(stats)</c>, and Python's
/// documentation warns that marshal is not safe on untrusted data, while a PR's pstats are written
/// by its code. This reader knows only the subset pstats writes (dicts, tuples, lists, ints, floats,
/// strings, refs), refuses everything else (code objects above all), and caps depth, counts and
/// sizes, so a hostile file can only be refused, never run or exhaust the report job.
/// </summary>
public sealed class PstatsReader
{
    public const long MaxFileBytes = 64L << 20;
    private const int MaxDepth = 6;
    private const int MaxItems = 2_000_000;
    private const int MaxStringBytes = 1 << 16;
    private const byte FlagRef = 0x80;

    private readonly byte[] _data;
    private readonly List<object?> _refs = [];
    private int _position;
    private int _items;

    private PstatsReader(byte[] data) => _data = data;

    public static IReadOnlyList<PstatsEntry> Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is larger than {MaxFileBytes >> 20} MiB: not a cProfile capture");
        }
        return Parse(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    public static IReadOnlyList<PstatsEntry> Parse(byte[] data, string name)
    {
        var reader = new PstatsReader(data);
        object? root;
        try
        {
            root = reader.Object(0);
        }
        catch (IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{name} ends in the middle of a value");
        }
        if (root is not Dict stats)
        {
            throw new InvalidDataException($"{name} does not hold a pstats dictionary");
        }
        var entries = new List<PstatsEntry>(stats.Pairs.Count);
        foreach (var (key, value) in stats.Pairs)
        {
            // {(file, line, function): (primitive calls, calls, own time, cumulative time, callers)}
            if (key is not object?[] { Length: 3 } k || k[0] is not string file || k[1] is not long line || k[2] is not string function
                || value is not object?[] { Length: >= 4 } v || v[1] is not long calls || Number(v[2]) is not { } own)
            {
                throw new InvalidDataException($"{name} holds an entry that is not (file, line, function): (calls, ..., time, ...)");
            }
            entries.Add(new PstatsEntry(file, (int)Math.Clamp(line, int.MinValue, int.MaxValue), function, calls, own));
        }
        return entries;
    }

    private static double? Number(object? value) => value switch
    {
        double d when double.IsFinite(d) => d,
        long l => l,
        _ => null,
    };

    private sealed record Dict(List<(object? Key, object? Value)> Pairs);

    private object? Object(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("pstats data nested deeper than pstats writes");
        }
        if (++_items > MaxItems)
        {
            throw new InvalidDataException($"pstats data with more than {MaxItems} values");
        }
        var code = _data[_position++];
        var type = (char)(code & ~FlagRef);
        if (type == 'r')
        {
            var index = Int32();
            return index >= 0 && index < _refs.Count && _refs[index] is { } known
                ? known
                : throw new InvalidDataException($"pstats data refers to value {index}, which is not there");
        }
        var slot = -1;
        if ((code & FlagRef) != 0)
        {
            slot = _refs.Count;
            _refs.Add(null);
        }
        object? value = type switch
        {
            'N' => null,
            'T' => true,
            'F' => false,
            'i' => (long)Int32(),
            'l' => Long(),
            'g' => BinaryPrimitives.ReadDoubleLittleEndian(Take(8)),
            's' => Encoding.UTF8.GetString(Take(Length(Int32()))),
            'u' or 't' or 'a' or 'A' => Encoding.UTF8.GetString(Take(Length(Int32()))),
            'z' or 'Z' => Encoding.UTF8.GetString(Take(_data[_position++])),
            '(' or '[' => Sequence(Count(Int32()), depth),
            ')' => Sequence(_data[_position++], depth),
            '{' => Dictionary(depth),
            _ =>
                throw new InvalidDataException($"pstats data holds a marshal value of type " +
                    $"'{(type is >= '!' and <= '~' ? type : '?')}', which pstats never writes"),
        };
        if (slot >= 0)
        {
            _refs[slot] = value;
        }
        return value;
    }

    private object?[] Sequence(int count, int depth)
    {
        var items = new object?[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = Object(depth + 1);
        }
        return items;
    }

    private Dict Dictionary(int depth)
    {
        var pairs = new List<(object?, object?)>();
        while (_data[_position] != (byte)'0')
        {
            var key = Object(depth + 1);
            pairs.Add((key, Object(depth + 1)));
        }
        _position++;
        return new Dict(pairs);
    }

    /// <summary>Python ints beyond 32 bits: 15-bit digits, the sign in the count. pstats counts fit in 64 bits.</summary>
    private long Long()
    {
        var count = Int32();
        var digits = Math.Abs((long)count);
        if (digits > 4)
        {
            throw new InvalidDataException("pstats data holds an integer wider than 60 bits");
        }
        long value = 0;
        for (var i = 0; i < digits; i++)
        {
            value |= (long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)) << (15 * i);
        }
        return count < 0 ? -value : value;
    }

    private int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    private static int Length(int length) =>
        length is >= 0 and <= MaxStringBytes ? length : throw new InvalidDataException($"pstats data holds a string of {length} bytes");

    private int Count(int count) =>
        count >= 0 && count <= _data.Length - _position ? count : throw new InvalidDataException($"pstats data holds a sequence of {count} items");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new InvalidDataException("pstats data ends in the middle of a value");
        }
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
