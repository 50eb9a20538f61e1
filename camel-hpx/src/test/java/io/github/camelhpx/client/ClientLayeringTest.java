package io.github.camelhpx.client;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The layers: the protocol client (its API and its machinery) stays usable without Camel, and the Camel layer uses
 * only the client's API, never its machinery.
 */
class ClientLayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.camelhpx");

    @Test
    void clientPackagesDependOnNothingFromCamel() {
        noClasses().that().resideInAPackage("io.github.camelhpx.client..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.github.camelhpx.component..")
                .check(CLASSES);
    }

    @Test
    void theCamelLayerUsesOnlyTheClientsApi() {
        noClasses().that().resideInAPackage("io.github.camelhpx.component..")
                .should().dependOnClassesThat().resideInAPackage("io.github.camelhpx.client.internal..")
                .check(CLASSES);
    }

    @Test
    void theApiDoesNotLeakMachineryInItsPublicSignatures() {
        methods().that().areDeclaredInClassesThat().resideInAPackage("io.github.camelhpx.client")
                .and().arePublic().and().areDeclaredInClassesThat().arePublic()
                .should().haveRawReturnType(resideOutsideOfPackage("io.github.camelhpx.client.internal.."))
                .check(CLASSES);
    }
}
