using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Filare.Perf.Tests.Support;

public sealed record RecordedRequest(string Method, string Path, string Query, string? Body, string? Authorization)
{
    public bool Is(string method, string path) => Method == method && Path == path;
}

/// <summary>
/// GitHub's REST API as recorded responses, by method and path (query strings are recorded, not
/// matched). Anything not served answers as GitHub does for a missing resource: 404.
/// </summary>
/// <param name="apiUrl">Where the build is told the API is; requests to any other host fail the test.</param>
public sealed class FakeGitHub(string apiUrl = FakeGitHub.ApiUrl) : HttpMessageHandler
{
    public const string ApiUrl = "https://api.github.test";
    private readonly ConcurrentDictionary<string, Func<HttpResponseMessage>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public FakeGitHub Serve(string method, string path, HttpStatusCode status, string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        _routes[$"{method} {path}"] = () =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }
            return response;
        };
        return this;
    }

    public FakeGitHub ServeBytes(string method, string path, byte[] content, string mediaType = "application/zip")
    {
        _routes[$"{method} {path}"] = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new(mediaType) } },
        };
        return this;
    }

    /// <summary>The request never gets an answer: a dropped connection, a DNS failure.</summary>
    public FakeGitHub Fail(string method, string path, Exception exception)
    {
        _routes[$"{method} {path}"] = () => throw exception;
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Assert.Equal(new Uri(apiUrl).Host, request.RequestUri!.Host);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri.AbsolutePath;
        _requests.Enqueue(new RecordedRequest(request.Method.Method, path, request.RequestUri.Query, body, request.Headers.Authorization?.ToString()));
        var response = _routes.TryGetValue($"{request.Method.Method} {path}", out var route)
            ? route()
            : new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("""{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}""", Encoding.UTF8,
                    "application/json"),
            };
        response.RequestMessage = request;
        return response;
    }
}
