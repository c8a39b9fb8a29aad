package io.serval.operator.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** OpenAPI document of the management API (served at /q/openapi, Swagger UI at /q/swagger-ui). */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Serval operator management API",
            version = "v1",
            description =
                "Deploy, inspect, roll back and delete RealtimeApis and TrafficSplitters."),
    components =
        @Components(
            securitySchemes =
                @SecurityScheme(
                    securitySchemeName = "bearer",
                    type = SecuritySchemeType.HTTP,
                    scheme = "bearer",
                    description = "The token in {state-dir}/token")))
public class ManagementApiDefinition extends Application {}
