using System.Text.Json;
using System.Text.Json.Serialization;

namespace Filare.Perf.Results;

/// <summary>
/// JSON has no NaN: a figure that cannot be computed (an interval from one pair, a ratio over zero)
/// is written as null, as every unknown value in metrics.json is, and read back as NaN.
/// </summary>
public sealed class NonFiniteAsNull : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
