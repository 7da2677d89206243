namespace AotGateway.Bench;

/// <summary>Writes a large captured chat stream (the text corpus repeated, with one [DONE] at the end) for the end-to-end run.</summary>
public static class MakeCapture
{
    public static int Run(string path, int megabytes)
    {
        byte[] text = StreamCorpus.Get(StreamCorpus.Text).Bytes;
        // Drop each copy's usage chunk and [DONE] except the last, so the capture is one long reply.
        int body = text.AsSpan().IndexOf("data: {\"id\":\"chatcmpl-D8dV4fIhj9EeF5vu9iDuZYuG5qp3o\",\"object\":\"chat.completion.chunk\",\"created\":1770950834,\"model\":\"acme/llama-3-70b\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_ad98c18a04\",\"choices\":[{\"index\":0,\"delta\":{},"u8);
        using FileStream file = File.Create(path);
        long target = megabytes * 1_000_000L;
        while (file.Length + text.Length < target)
            file.Write(text.AsSpan(0, body));
        file.Write(text);
        Console.WriteLine($"{path}: {file.Length:N0} bytes");
        return 0;
    }
}
