package dev.statefort.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Result;
import dev.statefort.server.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5 point 7: the real {@code terraform} over HTTPS against {@code serve --tls-cert --tls-key}, trusting a
 * test CA through {@code client_ca_certificate_pem} ({@code TF_HTTP_CLIENT_CA_CERTIFICATE_PEM}), authenticated by
 * an API token or by a client certificate alone ({@code client_certificate_pem} / {@code client_private_key_pem}).
 */
class TerraformTlsTest {
    private static final String SUITE = "real-terraform HTTPS";
    private static final String CI_SUBJECT = "CN=terraform-ci,O=Statefort Test";
    private static final String MAIN_TF = """
            variable "input" {
              type = string
            }

            resource "terraform_data" "thing" {
              input = var.input
            }
            """;

    static TestCertificates certs;
    static TestCertificates.Issued ci;
    static StatefortClient admin;

    @RegisterExtension
    static final RealServer node = RealServer.startedBy(TerraformTlsTest::startHttps)
            .needingTerraform(SUITE)
            .setUp(n -> admin = n.admin());

    static StatefortProcess startHttps(Path dir, String logName) throws Exception {
        certs = TestCertificates.create(Files.createDirectories(node.dir().resolve("pki")));
        ci = certs.client("terraform-ci", CI_SUBJECT);
        Path principals = Files.writeString(node.dir().resolve("pki/principals"), "write default " + CI_SUBJECT + "\n");
        return StatefortProcess.startHttps(
                node.dir().resolve("server"),
                logName,
                certs.trustingContext(),
                "--tls-cert",
                certs.certPem().toString(),
                "--tls-key",
                certs.keyPem().toString(),
                "--tls-client-ca",
                certs.caPem().toString(),
                "--tls-client-principals",
                principals.toString());
    }

    @Test
    void terraformAppliesOverHttpsWithATokenTrustingTheTestCa() throws Exception {
        String token = node.server().createToken("default", "write", "tls-terraform");
        Map<String, String> env = caOnly();
        env.put("TF_HTTP_USERNAME", "terraform");
        env.put("TF_HTTP_PASSWORD", token);
        TerraformCli tf = workspace("with-token", env);

        tf.run("init", "-no-color").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=one").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=two").requireSuccess();
        Result plan = tf.run("plan", "-detailed-exitcode", "-no-color", "-var", "input=two");

        assertThat(plan.exitCode()).as("no changes after the apply: %s", plan).isEqualTo(0);
        JsonNode versions = admin.versions("default", "with-token").path("items");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("lockId").asText()).isNotBlank();
        assertThat(admin.getJson("/api/v1/projects/default/states/with-token/lock")
                        .path("locked")
                        .asBoolean(true))
                .as("the lock was released over HTTPS")
                .isFalse();
    }

    @Test
    void terraformAuthenticatesWithAClientCertificateAlone() throws Exception {
        Map<String, String> env = caOnly();
        env.put("TF_HTTP_CLIENT_CERTIFICATE_PEM", Files.readString(ci.certPem()));
        env.put("TF_HTTP_CLIENT_PRIVATE_KEY_PEM", Files.readString(ci.keyPem()));
        TerraformCli tf = workspace("with-cert", env);

        tf.run("init", "-no-color").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=cert").requireSuccess();

        JsonNode versions = admin.versions("default", "with-cert").path("items");
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).path("principal").asText())
                .as("the version names the client certificate's subject")
                .isEqualTo("cert:" + CI_SUBJECT);
    }

    @Test
    void terraformWithoutTheCaRefusesTheServerCertificate() {
        TerraformCli tf = workspace("untrusted", new HashMap<>());

        Result init = tf.run("init", "-no-color");

        assertThat(init.exitCode()).isNotZero();
        assertThat(init.output()).contains("certificate");
    }

    private static Map<String, String> caOnly() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TF_HTTP_CLIENT_CA_CERTIFICATE_PEM", Files.readString(certs.caPem()));
        return env;
    }

    private static TerraformCli workspace(String state, Map<String, String> env) {
        TerraformCli tf = new TerraformCli(node.terraform(), node.dir().resolve(state), env);
        String address = node.baseUrl() + "/tf/default/" + state;
        tf.writeHttpBackend(address);
        tf.writeFile("main.tf", MAIN_TF);
        return tf;
    }
}
