package dev.asyncpatterns.web;

import java.util.Map;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;

/**
 * Every error answer is problem JSON, so a controller documents an error response with its status
 * and description only; this gives each 4xx and 5xx response of the document its
 * {@code application/problem+json} body, the {@link ProblemDetail} schema, once for all.
 */
class ProblemResponsesCustomizer implements OpenApiCustomizer {

    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        Schema<?> problem = problemSchema(openApi);
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getResponses() != null) {
                operation.getResponses().forEach((status, response) -> {
                    if (isError(status)) {
                        describeAsProblem(response, problem);
                    }
                });
            }
        }));
    }

    /** A problem body where the controller gave none; an example or schema it gave is kept. */
    private static void describeAsProblem(ApiResponse response, Schema<?> problem) {
        Content content = response.getContent();
        if (content == null || !content.containsKey(PROBLEM_JSON)) {
            // A body springdoc derived from the method's return type would describe the success answer.
            response.setContent(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(problem)));
        }
        else if (content.get(PROBLEM_JSON).getSchema() == null) {
            content.get(PROBLEM_JSON).setSchema(problem);
        }
    }

    /** A reference to the ProblemDetail schema, registered in the components if nothing else did. */
    private static Schema<?> problemSchema(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Map<String, Schema> known = ModelConverters.getInstance().readAll(ProblemDetail.class);
        known.forEach((name, schema) -> {
            if (openApi.getComponents().getSchemas() == null || !openApi.getComponents().getSchemas().containsKey(name)) {
                openApi.getComponents().addSchemas(name, schema);
            }
        });
        return new Schema<>().$ref("#/components/schemas/" + ProblemDetail.class.getSimpleName());
    }

    private static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }
}
