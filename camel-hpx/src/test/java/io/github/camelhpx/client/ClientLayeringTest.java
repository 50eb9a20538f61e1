package io.github.camelhpx.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/** The protocol client must stay usable without Camel. */
class ClientLayeringTest {

    @Test
    void clientPackageDependsOnNothingFromCamel() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.camelhpx.client");
        noClasses().that().resideInAPackage("io.github.camelhpx.client..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.github.camelhpx.component..")
                .check(classes);
    }
}
