namespace Filare.Perf.Tests.Trend;

/// <summary>Seeded nightly series: a level times lognormal noise of a given relative σ, with a step or a drift.</summary>
public static class SyntheticSeries
{
    public static double[] Step(int seed, int length, int stepAt, double step, double noise) =>
        Make(seed, length, i => i >= stepAt ? 1 + step : 1, noise);

    public static double[] Drift(int seed, int length, double perPoint, double noise) =>
        Make(seed, length, i => Math.Pow(1 + perPoint, i), noise);

    public static double[] Make(int seed, int length, Func<int, double> level, double noise)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => 1.2 * level(i) * Math.Exp(noise * Gaussian(random)))];
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
