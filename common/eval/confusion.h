/* confusion.h - a confusion matrix over named classes (rows = true class,
 * columns = predicted class) that grows as classes appear. */
#ifndef SENTIO_CONFUSION_H
#define SENTIO_CONFUSION_H

#include <stddef.h>
#include <stdio.h>

#define CONFUSION_MAX_CLASSES 1024

typedef struct {
    size_t k;       /* classes, in the order first declared or seen */
    char **names;   /* k class names */
    size_t *counts; /* k*k, counts[true*k + pred] */
    size_t total;   /* predictions added */
} confusion;

void confusion_init(confusion *c);
void confusion_free(confusion *c);
/* The index of class NAME, added as a new class when absent. -1 when the
 * matrix already holds CONFUSION_MAX_CLASSES classes. */
long confusion_class(confusion *c, const char *name);
/* Adds the classes of names[0..n-1] that are absent, in order, with one
 * reallocation (confusion_class re-lays the matrix out for each class, so adding
 * k classes one by one costs k^3). 0, or -1 when they would pass
 * CONFUSION_MAX_CLASSES (nothing is added then). */
int confusion_classes(confusion *c, size_t n, char *const *names);
/* Counts one prediction. 0, or -1 when a class could not be added. */
int confusion_add(confusion *c, const char *truth, const char *pred);
/* Total of row r (predictions whose true class is r). */
size_t confusion_row_total(const confusion *c, size_t r);

#endif
