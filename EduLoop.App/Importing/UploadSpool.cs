using EduLoop.Domain;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Importing;

/// <summary>An upload larger than the configured limit.</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"The file is larger than {limit / 1024 / 1024} MB, the most this server accepts (EduLoop:MaxImportBytes).")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Copies an upload to a temporary file in the data directory as it arrives, so a 50 MB file never
/// sits in memory; the preview and the commit each read the file from there. The file is deleted when
/// its stream is closed.
/// </summary>
public sealed class UploadSpool(DataLocation location, IOptions<EduLoopOptions> options)
{
    public long MaxBytes => options.Value.MaxImportBytes;

    public async Task<FileStream> SaveAsync(Stream source, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(location.Directory, "uploads");
        Directory.CreateDirectory(directory);
        var file = new FileStream(Path.Combine(directory, Guid.NewGuid().ToString("N") + ".upload"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (file.Length + read > MaxBytes)
                {
                    throw new UploadTooLargeException(MaxBytes);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
