using System.Security.Cryptography;
using System.Text;

namespace HuurIncasso.Host.Security;

/// <summary>
/// A user from settings (<c>Auth:LocalUsers</c>), for development and tests only: the host
/// refuses to start with local users in the Production environment.
/// </summary>
public sealed class LocalUser
{
    public string Name { get; set; } = "";

    /// <summary>Plain password: development only.</summary>
    public string? Password { get; set; }

    /// <summary><c>pbkdf2-sha256$iterations$salt-base64$hash-base64</c> (see <see cref="LocalPasswords.Hash"/>).</summary>
    public string? PasswordHash { get; set; }

    public string[] Roles { get; set; } = [];
}

/// <summary>The local users and their password check.</summary>
public sealed class LocalUserDirectory(IReadOnlyList<LocalUser> users)
{
    public IReadOnlyList<LocalUser> Users { get; } = users;

    public bool IsEmpty => Users.Count == 0;

    /// <summary>The user when name and password match; null otherwise (same answer for an unknown name).</summary>
    public LocalUser? Verify(string? name, string? password)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
        if (user is null)
        {
            return null;
        }

        return user.PasswordHash is { Length: > 0 } hash
            ? LocalPasswords.Verify(password, hash) ? user : null
            : user.Password is { } plain && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(plain), Encoding.UTF8.GetBytes(password)) ? user : null;
    }

    /// <summary>What is wrong with the settings, each with the setting's name; empty when fine.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<LocalUser> users)
    {
        var errors = new List<string>();
        for (var i = 0; i < users.Count; i++)
        {
            var u = users[i];
            var at = $"Auth:LocalUsers:{i}";
            if (string.IsNullOrWhiteSpace(u.Name))
            {
                errors.Add($"{at}:Name is empty.");
            }

            if (string.IsNullOrEmpty(u.Password) && string.IsNullOrEmpty(u.PasswordHash))
            {
                errors.Add($"{at}: give Password or PasswordHash.");
            }

            if (u.PasswordHash is { Length: > 0 } h && !LocalPasswords.IsWellFormed(h))
            {
                errors.Add($"{at}:PasswordHash is not 'pbkdf2-sha256$iterations$salt$hash'.");
            }

            foreach (var role in u.Roles)
            {
                if (role is not (HuurIncasso.Host.Security.Roles.Consultant or HuurIncasso.Host.Security.Roles.TeamLead or HuurIncasso.Host.Security.Roles.Admin or HuurIncasso.Host.Security.Roles.Erp))
                {
                    errors.Add($"{at}:Roles: unknown role '{role}' (consultant, teamlead, admin or erp).");
                }
            }
        }

        return errors;
    }
}

/// <summary>PBKDF2-SHA256 password hashes for local users.</summary>
public static class LocalPasswords
{
    private const string Scheme = "pbkdf2-sha256";

    public static string Hash(string password, int iterations = 210_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool IsWellFormed(string stored) => TryParse(stored, out _, out _, out _);

    public static bool Verify(string password, string stored)
    {
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
            return salt.Length > 0 && hash.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
