namespace EduLoop.Domain.Data;

/// <summary>
/// The data directory holds the database, its backups and the keys that sign the sign-in cookies. On
/// Linux and macOS only the account EduLoop runs as may open them, whatever the umask: directories
/// EduLoop creates are 0700 and its files 0600. Windows keeps the folder's inherited ACLs.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> (and any missing parent) as 0700. A directory that exists keeps
    /// its mode: whoever made it chose who may enter it.
    /// </summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        return Directory.CreateDirectory(path, DirectoryMode);
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty as 0600 unless it exists, so that whatever opens it next
    /// (SQLite, which also gives the -wal and -shm files the database file's mode) starts private.
    /// </summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created in the meantime by another process: Restrict takes care of its mode.
        }
    }

    /// <summary>Makes the files that exist among <paramref name="paths"/> 0600 (files from before this rule, or made by another tool).</summary>
    public static void Restrict(params IEnumerable<string> paths)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in paths.Where(File.Exists))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
