package sqlite

import "github.com/saiasat/saiasat/ledger"

// ClientsQuery is the query that finds a subject's clients.
const ClientsQuery = clientsQuery

// ConsentsSQL returns the statement, and its arguments, that reads a page
// of one client's consents.
func ConsentsSQL(q ledger.ConsentQuery, client string) (string, []any) {
	where, args := consentsWhere(q, client)
	return `SELECT ` + ledger.RowColumns(true) + ` FROM records ` + where, args
}
