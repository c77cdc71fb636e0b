using System.Text;
using System.Text.RegularExpressions;

namespace Filare.Perf.Actions;

/// <summary>
/// Appends step outputs to the GITHUB_OUTPUT file in GitHub's format: <c>name=value</c> lines, and
/// for a value holding a line break the <c>name&lt;&lt;DELIMITER</c> form with a random delimiter
/// that the value cannot contain, so no value can end early and smuggle in outputs of its own.
/// </summary>
public static partial class StepOutputs
{
    public static string Format(IEnumerable<(string Name, string Value)> outputs)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in outputs)
        {
            if (!Name().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not an output name.", nameof(outputs));
            }
            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                string delimiter;
                do
                {
                    delimiter = "ghadelimiter_" + Guid.NewGuid().ToString("N");
                }
                while (value.Contains(delimiter, StringComparison.Ordinal));
                text.Append(name).Append("<<").Append(delimiter).Append('\n').Append(value).Append('\n').Append(delimiter).Append('\n');
            }
            else
            {
                text.Append(name).Append('=').Append(value).Append('\n');
            }
        }
        return text.ToString();
    }

    public static void Append(string file, IEnumerable<(string Name, string Value)> outputs) =>
        File.AppendAllText(file, Format(outputs), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_-]*\z")]
    private static partial Regex Name();
}
