package dev.statefort.server.http;

/**
 * The Terraform configuration Statefort hands out for a state address: one text for the UI's
 * Connect panel, a new credential, a new alias and the start-up banner. The password always comes
 * from {@code TF_HTTP_PASSWORD}, never the file.
 */
public final class BackendBlock {
    private BackendBlock() {}

    /** The state address of an alias: {@code <base>/tf/alias/<id>}. */
    public static String aliasAddress(String baseUrl, String aliasId) {
        return baseUrl + "/tf/alias/" + aliasId;
    }

    /** The {@code terraform { backend "http" { ... } }} block for {@code address}. */
    public static String hcl(String address, String username) {
        return "terraform {\n"
                + "  backend \"http\" {\n"
                + "    address        = \"" + address + "\"\n"
                + "    lock_address   = \"" + address + "/lock\"\n"
                + "    unlock_address = \"" + address + "/lock\"\n"
                + "    username       = \"" + username + "\"\n"
                + "    # password: export TF_HTTP_PASSWORD; never commit it\n"
                + "  }\n"
                + "}";
    }

    /** The same as environment variables; {@code password} as given (a token or a placeholder). */
    public static String environment(String address, String username, String password) {
        return "export TF_HTTP_ADDRESS=" + address + "\n"
                + "export TF_HTTP_LOCK_ADDRESS=" + address + "/lock\n"
                + "export TF_HTTP_UNLOCK_ADDRESS=" + address + "/lock\n"
                + "export TF_HTTP_USERNAME=" + username + "\n"
                + "export TF_HTTP_PASSWORD=" + password;
    }
}
