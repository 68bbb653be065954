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

    /** The same block as Terraform JSON ({@code *.tf.json}). */
    public static String json(String address, String username) {
        return "{\n"
                + "  \"terraform\": {\n"
                + "    \"backend\": {\n"
                + "      \"http\": {\n"
                + "        \"address\": " + quoted(address) + ",\n"
                + "        \"lock_address\": " + quoted(address + "/lock") + ",\n"
                + "        \"unlock_address\": " + quoted(address + "/lock") + ",\n"
                + "        \"username\": " + quoted(username) + "\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /** The state address of {@code project}/{@code state}: {@code <base>/tf/<project>/<state>}. */
    public static String stateAddress(String baseUrl, String project, String state) {
        return baseUrl + "/tf/" + project + "/" + state;
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
