namespace EduLoop.App.Api.Compatible;

/// <summary>
/// The original service's own messages, word for word: its token, access key and account views
/// answered in German, and clients show or compare these texts. DRF's built-in texts stay English.
/// </summary>
public static class Messages
{
    public const string KeyValid = "Das Token ist gültig.";
    public const string KeyInvalid = "Ungültiges oder inaktives Token.";
    public const string KeyRequired = "Token-Schlüssel muss angegeben werden.";
    public const string KeyTaken = "Ein Token mit diesem Schlüssel existiert bereits.";
    public const string KeyNotFound = "Token nicht gefunden.";
    public const string KeyUpdated = "Token erfolgreich aktualisiert.";
    public const string KeyDeleted = "Token erfolgreich gelöscht.";
    public const string PasswordsDiffer = "Die Passwörter stimmen nicht überein.";
    public const string PasswordTooShort = "Das Passwort muss mindestens 8 Zeichen lang sein.";
    public const string OwnStaffFlag = "Sie können Ihr eigenes 'is_staff'-Feld nicht ändern.";
    public const string OwnActiveFlag = "Sie können Ihr eigenes 'is_active'-Feld nicht ändern.";
    public const string SuperuserOnly = "Sie haben keine Berechtigung, einen Superuser zu ändern.";
    public const string StaffFlag = "Sie können das 'is_staff'-Feld nicht ändern.";
    public const string ActiveFlag = "Sie können das 'is_active'-Feld nicht ändern.";
    public const string AccountDeleted = "Benutzerkonto erfolgreich gelöscht.";
}
