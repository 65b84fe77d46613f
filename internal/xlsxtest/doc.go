// Package xlsxtest writes small workbooks for tests: the sheets' rows of
// cells, as excelize sets each value (a string, a number, a time).
package xlsxtest
