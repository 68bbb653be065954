package dev.statefort.server.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.server.http.RouteTable;
import dev.statefort.server.http.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 2: {@code GET /api/v1/openapi.json} (no credentials) describes every route of the
 * API's route table, no more, with its access, parameters and error shape, and swagger-parser finds
 * it a valid OpenAPI 3.1 document.
 */
class OpenApiDocumentTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

    @TempDir
    static Path tmp;

    private static TestServer server;
    private static String body;
    private static OpenAPI api;

    @BeforeAll
    static void fetch() throws Exception {
        server = TestServer.start(tmp.resolve("data"), java.time.Clock.systemUTC());
        TestServer.Response response = server.send("GET", "/api/v1/openapi.json", null, (String) null);
        assertThat(response.status()).as("served without credentials").isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        body = response.body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(body, null, options);
        assertThat(parsed.getMessages())
                .as("swagger-parser's validation messages")
                .isEmpty();
        api = parsed.getOpenAPI();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void isAValidOpenApi31Document() {
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).startsWith("3.1");
        assertThat(api.getPaths()).isNotEmpty();
    }

    @Test
    void theValidatorCatchesABrokenDocument() {
        // an operation without its responses, and a reference to nothing
        String broken = body.replaceFirst("\"responses\"\\s*:", "\"answers\":")
                .replaceFirst("#/components/schemas/Error\"", "#/components/schemas/Nowhere\"");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        assertThat(new OpenAPIV3Parser().readContents(broken, null, options).getMessages())
                .as("the same validator, given a document that is not valid")
                .isNotEmpty();
    }

    @Test
    void describesExactlyTheRoutesOfTheRouteTableWithTheirAccess() {
        Map<String, String> tableAccess = new HashMap<>();
        for (RouteTable.Route<?> route : server.server().routeTable()) {
            if (route.template().startsWith("/api/v1/")) {
                tableAccess.put(route.name(), route.access().toString());
            }
        }
        Map<String, String> documented = new HashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, op) -> documented.put(
                        method.name() + " " + path, String.valueOf(extension(op, "x-statefort-access")))));
        assertThat(new TreeSet<>(documented.keySet()))
                .as("operations in the document = routes in the table")
                .isEqualTo(new TreeSet<>(tableAccess.keySet()));
        assertThat(documented).as("x-statefort-access of each operation").isEqualTo(tableAccess);
    }

    @Test
    void everyOperationDeclaresItsPathParametersAndHasAUniqueId() {
        Set<String> ids = new HashSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String name = method + " " + path;
            assertThat(op.getOperationId()).as(name + " operationId").isNotBlank();
            assertThat(ids.add(op.getOperationId()))
                    .as("operationId " + op.getOperationId() + " is unique")
                    .isTrue();
            Set<String> declared = new HashSet<>();
            for (List<Parameter> params : java.util.Arrays.asList(item.getParameters(), op.getParameters())) {
                if (params != null) {
                    params.stream().filter(p -> "path".equals(p.getIn())).forEach(p -> declared.add(p.getName()));
                }
            }
            Matcher m = PLACEHOLDER.matcher(path);
            while (m.find()) {
                assertThat(declared).as(name + " declares {" + m.group(1) + "}").contains(m.group(1));
            }
        }));
    }

    @Test
    void everyErrorAnswerHasTheOneErrorShapeAndEveryGuardedRouteItsRefusals() throws Exception {
        JsonNode raw = new ObjectMapper().readTree(body);
        JsonNode errorBody = raw.at("/components/schemas/Error");
        assertThat(errorBody.isMissingNode()).as("components.schemas.Error").isFalse();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String name = method + " " + path;
            Map<String, ApiResponse> responses = op.getResponses();
            assertThat(responses.keySet()).as(name + " has a success answer").anyMatch(s -> s.startsWith("2"));
            responses.forEach((status, declared) -> {
                ApiResponse response = resolve(declared);
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(response.getContent())
                            .as(name + " " + status + " has a JSON body")
                            .containsKey("application/json");
                    String schema = String.valueOf(response.getContent()
                            .get("application/json")
                            .getSchema()
                            .get$ref());
                    assertThat(schema)
                            .as(name + " " + status + " is an error body")
                            .contains("Error");
                }
            });
            Object access = extension(op, "x-statefort-access");
            if (!"anyone".equals(access)) {
                assertThat(responses)
                        .as(name + " answers 401 without credentials")
                        .containsKey("401");
                assertThat(responses)
                        .as(name + " answers 403 without the permission")
                        .containsKey("403");
                assertThat(op.getSecurity()).as(name + " names its credentials").isNotEmpty();
            }
        }));
    }

    /** The response itself, or the one of {@code components.responses} it refers to. */
    private static ApiResponse resolve(ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
        ApiResponse shared = api.getComponents().getResponses().get(name);
        assertThat(shared).as("components.responses." + name).isNotNull();
        return shared;
    }

    private static Object extension(Operation op, String name) {
        return op.getExtensions() == null ? null : op.getExtensions().get(name);
    }
}
