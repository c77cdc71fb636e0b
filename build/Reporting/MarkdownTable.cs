using System.Text;

namespace Filare.Perf.Reporting;

public enum Align { Left, Right }

/// <summary>A column: its header (our own words, already Markdown) and how its cells line up.</summary>
public sealed record Column(string Header, Align Align = Align.Left)
{
    public static Column Right(string header) => new(header, Align.Right);
}

/// <summary>
/// The one way the report writes a table. Cells arrive as Markdown (untrusted text already went
/// through <see cref="Markdown"/>); the builder keeps each row on one line, refuses a row of the
/// wrong width, and leaves out a table or column with nothing to say, so no reader meets a wall
/// of "-".
/// </summary>
public sealed class MarkdownTable(params Column[] columns)
{
    /// <summary>What a cell holds when there is no value.</summary>
    public const string None = "-";

    /// <summary>A PR comment is read at 780 px: more columns than this scroll sideways.</summary>
    public const int MaxColumns = 6;

    private readonly List<string[]> _rows = [];

    /// <summary>Rows without figures (a failed or skipped scenario): they never make a column look different.</summary>
    private readonly HashSet<int> _asides = [];

    public int RowCount => _rows.Count;

    public IReadOnlyList<Column> Columns => columns;

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {columns.Length} " +
                $"columns ({string.Join(", ", columns.Select(c => c.Header))})", nameof(cells));
        }
        _rows.Add(cells.Select(c => string.IsNullOrWhiteSpace(c) ? None : c.ReplaceLineEndings(" ")).ToArray());
        return this;
    }

    /// <summary>A row that <see cref="RenderCompact"/> leaves out when it looks for columns that say the same in every row.</summary>
    public MarkdownTable Aside(params string[] cells)
    {
        Row(cells);
        _asides.Add(_rows.Count - 1);
        return this;
    }

    /// <summary>True when some cell outside the first column says something.</summary>
    public bool HasValues => _rows.Any(r => r.Skip(1).Any(c => c != None));

    /// <summary>The table under a collapsed summary line (Markdown, its untrusted parts already escaped).</summary>
    public string RenderCollapsed(string summary) => $"<details><summary>{summary}</summary>\n\n{Render()}\n</details>\n";

    /// <summary>
    /// The table as Markdown, without the columns (after the first) whose every cell is empty; empty
    /// when no row has a value at all.
    /// </summary>
    public string Render() => Render(Enumerable.Range(0, columns.Length).Where(i => i == 0 || _rows.Any(r => r[i] != None)).ToList());

    /// <summary>
    /// The table without the columns that say the same in every row (two rows or more, asides left
    /// out), each stated once instead ("Noise floor: not calibrated"), and without the empty ones.
    /// The first <paramref name="kept"/> columns (the row's name, and what the table is for) always stay.
    /// </summary>
    public (string Table, IReadOnlyList<string> Stated) RenderCompact(int kept = 1)
    {
        var counted = _rows.Where((_, i) => !_asides.Contains(i)).ToList();
        // An aside's own cell (a failed scenario's "❌ base timed out") keeps its column.
        string? Same(int i) => counted.Count > 1 && counted.Select(r => r[i]).Distinct().ToList() is [var one] && one != None
            && _rows.Where((_, n) => _asides.Contains(n)).All(r => r[i] == None || r[i] == one) ? one : null;
        var uniform = Enumerable.Range(kept, columns.Length - kept).Where(i => Same(i) is not null).ToHashSet();
        var stated = uniform.Select(i => $"{columns[i].Header}: {Same(i)}").ToList();
        var keep = Enumerable.Range(0, columns.Length).Where(i => i == 0 || !uniform.Contains(i) && _rows.Any(r => r[i] != None)).ToList();
        return (keep.Count > 1 ? Render(keep) : "", stated);
    }

    private string Render(IReadOnlyList<int> keep)
    {
        if (_rows.Count == 0 || !HasValues)
        {
            return "";
        }
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", keep.Select(i => columns[i].Header)).Append(" |\n");
        text.Append('|').AppendJoin("", keep.Select(i => columns[i].Align == Align.Right ? "---:|" : "---|")).Append('\n');
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", keep.Select(i => row[i])).Append(" |\n");
        }
        return text.ToString();
    }
}
