using System.Globalization;

namespace Filare.Perf.Engine;

/// <summary>Turns raw text from any source into a parameter's typed value, or says what is allowed.</summary>
public static class ValueParser
{
    private static readonly string[] s_true = ["1", "true", "yes", "on"];
    private static readonly string[] s_false = ["0", "false", "no", "off"];

    public static string BooleanSpellings => "1/0, true/false, yes/no, on/off";

    public static bool TryParse(ParameterDefinition definition, IReadOnlyList<string> raw, out object? value, out string? allowed)
    {
        value = null;
        allowed = null;
        var text = raw.Count == 0 ? "" : string.Join(' ', raw).Trim();
        var attribute = definition.Attribute;
        if (text.Length == 0 && definition.Kind != ParameterKind.String && definition.AcceptsNull)
        {
            // FIL_PERF_RUNS= (empty) means "not set", as it does for a shell.
            return true;
        }
        switch (definition.Kind)
        {
            case ParameterKind.StringList:
                value = raw.SelectMany(r => r.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                return true;
            case ParameterKind.String:
                if (text.Length == 0 && !definition.AcceptsNull)
                {
                    allowed = "a non-empty value";
                    return false;
                }
                value = text.Length == 0 ? null : text;
                return true;
            case ParameterKind.Boolean:
                if (s_true.Contains(text, StringComparer.OrdinalIgnoreCase))
                {
                    value = true;
                    return true;
                }
                if (s_false.Contains(text, StringComparer.OrdinalIgnoreCase))
                {
                    value = false;
                    return true;
                }
                allowed = $"a boolean ({BooleanSpellings})";
                return false;
            case ParameterKind.Integer:
                var wide = (Nullable.GetUnderlyingType(definition.ValueType) ?? definition.ValueType) == typeof(long);
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) && InRange(integer, attribute)
                    && (wide || integer is >= int.MinValue and <= int.MaxValue))
                {
                    value = wide ? integer : (object)(int)integer;
                    return true;
                }
                allowed = "a whole number" + RangeText(attribute);
                return false;
            case ParameterKind.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    && InRange(number, attribute))
                {
                    value = number;
                    return true;
                }
                allowed = "a number" + RangeText(attribute);
                return false;
            case ParameterKind.Choice:
                var type = Nullable.GetUnderlyingType(definition.ValueType) ?? definition.ValueType;
                var match = Enum.GetValues(type).Cast<Enum>()
                    .FirstOrDefault(e => string.Equals(ParameterNames.ChoiceName(e), text, StringComparison.OrdinalIgnoreCase));
                if (match is not null)
                {
                    value = match;
                    return true;
                }
                allowed = "one of " + string.Join(", ", definition.Choices);
                return false;
            default:
                throw new InvalidOperationException($"Unhandled parameter kind {definition.Kind}.");
        }
    }

    private static bool InRange(double value, ParameterAttribute attribute) =>
        (double.IsNaN(attribute.Minimum) || value >= attribute.Minimum) &&
        (double.IsNaN(attribute.Maximum) || value <= attribute.Maximum);

    private static string RangeText(ParameterAttribute a) => (double.IsNaN(a.Minimum), double.IsNaN(a.Maximum)) switch
    {
        (false, false) => FormattableString.Invariant($" from {a.Minimum} to {a.Maximum}"),
        (false, true) => FormattableString.Invariant($" ≥ {a.Minimum}"),
        (true, false) => FormattableString.Invariant($" ≤ {a.Maximum}"),
        _ => "",
    };
}
