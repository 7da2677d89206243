using System.ClientModel.Primitives;

/// <summary>
/// The gateway takes <c>Authorization: Api-Key</c>; the OpenAI SDK sends Bearer, so this rewrites the header just
/// before the transport (added at <c>PipelinePosition.BeforeTransport</c>, after the SDK's own key policy).
/// </summary>
internal sealed class ApiKeyPolicy : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set("Authorization", "Api-Key " + PeakRss.Key);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set("Authorization", "Api-Key " + PeakRss.Key);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }
}
